using System.Numerics;
using Traceability.Chain.Accounts;
using Traceability.Chain.Signing;

namespace Traceability.Chain.Connection;

/// <summary>The sending account cannot be opened (no keystore password, a bad phrase, no key for a chain that is not a dev chain).</summary>
public sealed class AccountUnavailableException(string message, Exception? inner = null) : InvalidOperationException(message, inner);

/// <summary>
/// As whom to connect: the rules every tool resolves its sending account by. A remote signer
/// (<see cref="SignerUrl"/>: the key stays there) wins; then a keystore (with its password); otherwise account <see cref="Index"/> of <see cref="Mnemonic"/>; with no phrase,
/// of the public development phrase, but only on a dev chain (chain id <see cref="DevChainId"/>).
/// Secrets never appear in a message.
/// </summary>
public sealed record AccountSource
{
    /// <summary>The chain id of the local dev nodes (Hardhat, Anvil): the only chain the public development phrase is used on.</summary>
    public const long DevChainId = 31337;

    /// <summary>The environment variable holding the mnemonic phrase.</summary>
    public const string MnemonicVariable = "KP_MNEMONIC";

    /// <summary>The environment variable holding the keystore's password.</summary>
    public const string KeystorePasswordVariable = "KP_KEYSTORE_PASSWORD";

    /// <summary>A remote signer's JSON-RPC endpoint (Clef, Web3Signer, a wallet bridge): it holds the key and signs; overrides every other setting.</summary>
    public string? SignerUrl { get; init; }

    /// <summary>With <see cref="SignerUrl"/>: the signer's account to use (default: the one it offers).</summary>
    public string? SignerAccount { get; init; }

    /// <summary>With <see cref="SignerUrl"/>: how long one signing request may wait (default <see cref="RemoteSigner.DefaultTimeout"/>).</summary>
    public TimeSpan? SignerTimeout { get; init; }

    /// <summary>An encrypted JSON keystore of the account; overrides <see cref="Mnemonic"/> and <see cref="Index"/>.</summary>
    public string? KeystorePath { get; init; }

    /// <summary>The keystore's password.</summary>
    public string? KeystorePassword { get; init; }

    /// <summary>The environment variable <see cref="KeystorePassword"/> was read from, for messages.</summary>
    public string PasswordVariable { get; init; } = KeystorePasswordVariable;

    /// <summary>The mnemonic phrase (BIP-39); blank: the development phrase on a dev chain.</summary>
    public string? Mnemonic { get; init; }

    /// <summary>The account's index in the phrase (m/44'/60'/0'/0/index).</summary>
    public int Index { get; init; }

    /// <summary>What the user calls the keystore setting, for messages (for example <c>--keystore</c> or <c>KeystorePath</c>).</summary>
    public string KeystoreSetting { get; init; } = "keystore";

    /// <summary>What the user calls the index setting, for messages (for example <c>--account</c> or <c>AccountIndex</c>).</summary>
    public string IndexSetting { get; init; } = "account index";

    /// <summary>The source with the secrets taken from the environment (<see cref="MnemonicVariable"/>, <see cref="KeystorePasswordVariable"/>).</summary>
    public static AccountSource FromEnvironment(Func<string, string?> environment, string? keystorePath, int index, string keystoreSetting, string indexSetting) => new()
    {
        KeystorePath = keystorePath,
        KeystorePassword = environment(KeystorePasswordVariable),
        Mnemonic = environment(MnemonicVariable),
        Index = index,
        KeystoreSetting = keystoreSetting,
        IndexSetting = indexSetting,
    };

    /// <summary>Whether opening the account depends on the chain (no keystore, no phrase: the development phrase, on a dev chain only).</summary>
    public bool NeedsChainId => SignerUrl is null && KeystorePath is null && string.IsNullOrWhiteSpace(Mnemonic);

    /// <summary>Opens the account; <paramref name="chainId"/> is asked only when <see cref="NeedsChainId"/>.</summary>
    /// <exception cref="AccountUnavailableException">The account cannot be opened; the message says why and never shows a secret.</exception>
    public async Task<ChainAccount> OpenAsync(Func<Task<BigInteger>> chainId)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        if (SignerUrl is { } url) return await new RemoteSigner(url, SignerTimeout).AccountAsync(SignerAccount).ConfigureAwait(false);
        if (KeystorePath is null && Index < 0) throw BadIndex(); // a usage error is told before the chain is asked anything
        return Open(NeedsChainId ? await chainId().ConfigureAwait(false) : null);
    }

    /// <summary>Opens the account on the chain <paramref name="chainId"/> (needed only when <see cref="NeedsChainId"/>); a remote signer's account only with <see cref="OpenAsync"/>.</summary>
    /// <exception cref="AccountUnavailableException">The account cannot be opened; the message says why and never shows a secret.</exception>
    public ChainAccount Open(BigInteger? chainId)
    {
        if (SignerUrl is not null) throw new InvalidOperationException("a remote signer's account is opened with OpenAsync (it asks the signer)");
        if (KeystorePath is { } path)
        {
            if (!File.Exists(path)) throw new AccountUnavailableException($"{KeystoreSetting}: {Path.GetFullPath(path)} does not exist");
            var password = KeystorePassword ?? throw new AccountUnavailableException($"{KeystoreSetting} needs the password in ${PasswordVariable}");
            try
            {
                return ChainAccount.FromKeystore(File.ReadAllText(path), password);
            }
            catch (FormatException e)
            {
                throw new AccountUnavailableException($"{KeystoreSetting}: {e.Message}", e);
            }
        }
        if (Index < 0) throw BadIndex();
        var phrase = Mnemonic;
        if (string.IsNullOrWhiteSpace(phrase))
        {
            if (chainId is not { } id) throw new ArgumentNullException(nameof(chainId), "the chain id decides whether the development phrase may be used");
            if (id != DevChainId) throw new AccountUnavailableException($"chain {id} is not a dev chain: set {MnemonicVariable} or give {KeystoreSetting}");
            phrase = Accounts.Mnemonic.DevelopmentPhrase;
        }
        try
        {
            return Accounts.Mnemonic.Parse(phrase).Account(Index);
        }
        catch (FormatException e)
        {
            throw new AccountUnavailableException($"{MnemonicVariable}: {e.Message}", e);
        }
    }

    private AccountUnavailableException BadIndex() => new($"{IndexSetting} must be 0 or more");
}
