using System.Globalization;
using System.Numerics;

namespace Traceability.Testing;

/// <summary>
/// Other byte forms of one 65-byte signature (r ‖ s ‖ v, v 27 or 28), as wallets, HSMs and
/// attackers write them; the same forms as the contract tests' (tests/contracts/KimberleyRegistry.test.js).
/// </summary>
public static class SignatureVariants
{
    private static readonly BigInteger N =
        BigInteger.Parse("0fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", NumberStyles.HexNumber);

    /// <summary>The forms the rule accepts (besides the 65-byte v 27/28 form itself).</summary>
    public static readonly string[] Accepted = ["v01", "compact"];

    /// <summary>The forms the rule refuses although ecrecover would recover the signer from most of them.</summary>
    public static readonly string[] Refused = ["highS", "highSv01", "highSCompact", "badV", "length66"];

    /// <summary>The form <paramref name="name"/> of <paramref name="signature"/>.</summary>
    public static string Of(string signature, string name)
    {
        var b = Convert.FromHexString(signature.AsSpan(2));
        if (b.Length != 65 || b[64] is not (27 or 28)) throw new ArgumentException("a 65-byte signature with v 27 or 28", nameof(signature));
        var r = b[..32];
        var s = new BigInteger(b.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        var parity = b[64] - 27;
        var highS = Word(N - s);
        byte[] bytes = name switch
        {
            "v01" => [.. r, .. Word(s), (byte)parity],
            "compact" => [.. r, .. WithTopBit(Word(s), parity)],
            "highS" => [.. r, .. highS, (byte)(28 - parity)],
            "highSv01" => [.. r, .. highS, (byte)(1 - parity)],
            // a high-s twin (n - s) always needs the top bit of vs, so the compact form cannot carry it;
            // s just above n / 2 is the high s it can carry: refused by the rule whatever it recovers
            "highSCompact" => [.. r, .. WithTopBit(Word(N / 2 + 1), parity)],
            "badV" => [.. r, .. Word(s), (byte)(2 + parity)],
            "length66" => [.. b, 0],
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        return "0x" + Convert.ToHexStringLower(bytes);
    }

    private static byte[] Word(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var word = new byte[32];
        bytes.CopyTo(word, 32 - bytes.Length);
        return word;
    }

    private static byte[] WithTopBit(byte[] word, int bit)
    {
        var copy = (byte[])word.Clone();
        if (bit == 1) copy[0] |= 0x80;
        return copy;
    }
}
