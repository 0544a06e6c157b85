using System.Globalization;
using System.Numerics;

namespace Traceability.Chain.Signing;

/// <summary>
/// The one rule for the forms of an authority's signature, kept identically by the registry
/// (<c>contracts/libraries/AuthoritySignature.sol</c>), kp and the verifier: 65 bytes r ‖ s ‖ v with
/// v 27 or 28; 65 bytes with v 0 or 1 (read as 27 or 28); or 64 bytes r ‖ vs (EIP-2098 compact,
/// the y parity in the top bit of vs). s must be in the lower half of the curve order (EIP-2) in
/// every form; any other length, v or s is refused.
/// </summary>
public static class SignatureForm
{
    /// <summary>Half the order of secp256k1: an accepted signature's s is at most this (EIP-2).</summary>
    private static readonly BigInteger HalfOrder =
        BigInteger.Parse("07fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0", NumberStyles.HexNumber);

    /// <summary>
    /// The signature in its 65-byte form with v 27 or 28 (hex, 0x-prefixed, lower case), or null when
    /// <paramref name="signature"/> is in no accepted form.
    /// </summary>
    public static string? Normalize(string? signature)
    {
        if (signature is null || signature.Length is not (130 or 132) || !signature.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) return null;
        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(signature.AsSpan(2));
        }
        catch (FormatException)
        {
            return null;
        }
        var full = new byte[65];
        bytes.AsSpan(0, 64).CopyTo(full);
        if (bytes.Length == 64)
        {
            full[64] = (byte)(27 + (bytes[32] >> 7));
            full[32] &= 0x7f;
        }
        else
        {
            full[64] = bytes[64] switch { 0 or 27 => 27, 1 or 28 => 28, _ => 0 };
            if (full[64] == 0) return null;
        }
        var s = new BigInteger(full.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        return s <= HalfOrder ? "0x" + Convert.ToHexStringLower(full) : null;
    }

    /// <summary>Whether <paramref name="signature"/> is in a form the registry accepts.</summary>
    public static bool IsAccepted(string? signature) => Normalize(signature) is not null;

    /// <summary>The rule in one sentence, for messages.</summary>
    public const string Rule = "65 bytes r‖s‖v with v 27, 28, 0 or 1, or 64 bytes r‖vs (EIP-2098), s in the lower half of the curve order";
}
