using System.Security.Cryptography;
using Nethereum.Accounts.Bip32;

namespace Traceability.Chain.Accounts;

/// <summary>
/// A BIP-39 English mnemonic whose checksum has been verified. Nethereum's MinimalHDWallet
/// accepts any words, so a mistyped phrase would silently give other keys: this type refuses it.
/// </summary>
public sealed class Mnemonic
{
    private static readonly Dictionary<string, int> WordIndex =
        Bip39.WordList.Select((w, i) => (w, i)).ToDictionary(x => x.w, x => x.i, StringComparer.Ordinal);

    private readonly string _phrase;

    private Mnemonic(string phrase) => _phrase = phrase;

    /// <summary>Hardhat's and Anvil's public development phrase. Never for real use.</summary>
    public const string DevelopmentPhrase = "test test test test test test test test test test test junk";

    /// <summary>Parses a phrase; throws <see cref="FormatException"/> naming the problem (never echoing the phrase).</summary>
    public static Mnemonic Parse(string? phrase)
    {
        var words = (phrase ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length is not (12 or 15 or 18 or 21 or 24))
        {
            throw new FormatException($"a BIP-39 mnemonic has 12, 15, 18, 21 or 24 words, not {words.Length}");
        }
        var bits = new bool[words.Length * 11];
        for (var i = 0; i < words.Length; i++)
        {
            if (!WordIndex.TryGetValue(words[i].ToLowerInvariant(), out var index))
            {
                throw new FormatException($"word {i + 1} of the mnemonic is not in the BIP-39 English word list");
            }
            for (var b = 0; b < 11; b++) bits[i * 11 + b] = (index & (1 << (10 - b))) != 0;
        }
        var checksumBits = bits.Length / 33;
        var entropy = new byte[(bits.Length - checksumBits) / 8];
        for (var i = 0; i < entropy.Length * 8; i++)
        {
            if (bits[i]) entropy[i / 8] |= (byte)(1 << (7 - i % 8));
        }
        var hash = SHA256.HashData(entropy);
        for (var i = 0; i < checksumBits; i++)
        {
            var expected = (hash[i / 8] & (1 << (7 - i % 8))) != 0;
            if (bits[entropy.Length * 8 + i] != expected)
            {
                throw new FormatException("the mnemonic's checksum is wrong: a word is mistyped or out of order");
            }
        }
        return new Mnemonic(string.Join(' ', words.Select(w => w.ToLowerInvariant())));
    }

    /// <summary>The account at m/44'/60'/0'/0/<paramref name="index"/> (the path Hardhat, Anvil and MetaMask use).</summary>
    public ChainAccount Account(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var wallet = new MinimalHDWallet(_phrase, "");
        return new ChainAccount(wallet.GetEthereumKey(index));
    }

    /// <inheritdoc />
    public override string ToString() => "(mnemonic)";
}
