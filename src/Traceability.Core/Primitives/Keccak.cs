using System.Text;

namespace Traceability.Core.Primitives;

/// <summary>
/// Keccak-256 as Ethereum uses it (not NIST SHA3-256), over <see cref="Keccak256"/>: on the stack, without
/// allocations (a record's hash takes several of these, and the anchoring service and the verifier hash
/// every record they read).
/// </summary>
public static class Keccak
{
    /// <summary>Keccak-256 of <paramref name="data"/>.</summary>
    public static Hash32 Hash(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Compute(data, hash);
        return Hash32.FromBytes(hash);
    }

    /// <summary>Keccak-256 of a UTF-8 string (how EIP-712 encodes a <c>string</c>).</summary>
    public static Hash32 Hash(string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        if (length > 1024) return Hash(Encoding.UTF8.GetBytes(text));
        Span<byte> bytes = stackalloc byte[length];
        Encoding.UTF8.GetBytes(text, bytes);
        return Hash(bytes);
    }

    /// <summary>Keccak-256 of the concatenation of 32-byte values (<c>abi.encodePacked(bytes32[])</c>).</summary>
    public static Hash32 HashConcat(IReadOnlyList<Hash32> values)
    {
        var buffer = new byte[32 * values.Count];
        for (var i = 0; i < values.Count; i++) values[i].CopyTo(buffer.AsSpan(32 * i));
        return Hash(buffer);
    }

    /// <summary>Keccak-256 of two 32-byte values concatenated.</summary>
    public static Hash32 HashPair(Hash32 first, Hash32 second)
    {
        Span<byte> buffer = stackalloc byte[64];
        first.CopyTo(buffer);
        second.CopyTo(buffer[32..]);
        return Hash(buffer);
    }
}
