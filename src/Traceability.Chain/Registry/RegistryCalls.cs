using Nethereum.Contracts;

namespace Traceability.Chain.Registry;

/// <summary>
/// Hand-written call data of the views a verification reads on every level of a walk (parcelsOf, certificate,
/// transformation, isAuthority): the selector, computed once from the typed message, then the ABI words, with no
/// reflection. Equal to Nethereum's encoding (tested); any other message, or a value of an unexpected length,
/// is encoded by Nethereum.
/// </summary>
public static class RegistryCalls
{
    /// <summary>The call data of <paramref name="function"/>, 0x hex.</summary>
    public static string CallData<TFunction>(TFunction function) where TFunction : FunctionMessage, new() => function switch
    {
        ParcelsOfFunction p when p.Hashes.All(h => h.Length == 32) => Encode(Selector<ParcelsOfFunction>.Value, 2 + p.Hashes.Count, (words) =>
        {
            Uint(words[..32], 32); // the offset of the array, right after the head
            Uint(words.Slice(32, 32), (ulong)p.Hashes.Count);
            for (var i = 0; i < p.Hashes.Count; i++) p.Hashes[i].CopyTo(words.Slice(64 + i * 32, 32));
        }),
        CertificateFunction c when c.Exporter.Length == 2 && c.NumberHash.Length == 32 => Encode(Selector<CertificateFunction>.Value, 2, words =>
        {
            c.Exporter.CopyTo(words);
            c.NumberHash.CopyTo(words[32..]);
        }),
        TransformationFunction t when t.Hash.Length == 32 => Encode(Selector<TransformationFunction>.Value, 1, words => t.Hash.CopyTo(words)),
        IsAuthorityFunction a when a.Participant.Length == 2 && Address(a.Account) is { } account => Encode(Selector<IsAuthorityFunction>.Value, 2, words =>
        {
            a.Participant.CopyTo(words);
            account.CopyTo(words[(32 + 12)..]);
        }),
        _ => RegistryReader.NethereumCallData(function),
    };

    private delegate void Words(Span<byte> words);

    private static string Encode(byte[] selector, int wordCount, Words write)
    {
        var data = new byte[4 + wordCount * 32];
        selector.CopyTo(data, 0);
        write(data.AsSpan(4));
        return "0x" + Convert.ToHexStringLower(data);
    }

    private static void Uint(Span<byte> word, ulong value)
    {
        for (var i = 0; i < 8; i++) word[31 - i] = (byte)(value >> (8 * i));
    }

    private static byte[]? Address(string account)
    {
        var hex = account.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? account.AsSpan(2) : account.AsSpan();
        if (hex.Length != 40) return null;
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static class Selector<TFunction> where TFunction : FunctionMessage, new()
    {
        public static readonly byte[] Value = Convert.FromHexString(ABITypedRegistry.GetFunctionABI<TFunction>().Sha3Signature);
    }
}
