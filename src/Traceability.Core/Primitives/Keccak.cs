using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Traceability.Core.Primitives;

/// <summary>
/// Keccak-256 as Ethereum uses it (not NIST SHA3-256: the padding byte is 0x01). Written here, on the
/// stack, without allocations: a record's hash takes six of these and the anchoring service hashes
/// every record it receives (the generic digest allocated a state object per call).
/// </summary>
public static class Keccak
{
    private const int Rate = 136; // 1088 bits: Keccak-256's rate

    private static ReadOnlySpan<ulong> RoundConstants =>
    [
        0x0000000000000001UL, 0x0000000000008082UL, 0x800000000000808aUL, 0x8000000080008000UL,
        0x000000000000808bUL, 0x0000000080000001UL, 0x8000000080008081UL, 0x8000000000008009UL,
        0x000000000000008aUL, 0x0000000000000088UL, 0x0000000080008009UL, 0x000000008000000aUL,
        0x000000008000808bUL, 0x800000000000008bUL, 0x8000000000008089UL, 0x8000000000008003UL,
        0x8000000000008002UL, 0x8000000000000080UL, 0x000000000000800aUL, 0x800000008000000aUL,
        0x8000000080008081UL, 0x8000000000008080UL, 0x0000000080000001UL, 0x8000000080008008UL,
    ];

    /// <summary>Keccak-256 of <paramref name="data"/>.</summary>
    public static Hash32 Hash(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[32];
        Hash(data, digest);
        return Hash32.FromBytes(digest);
    }

    /// <summary>Keccak-256 of <paramref name="data"/> into the first 32 bytes of <paramref name="digest"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        if (digest.Length < 32) throw new ArgumentException("a Keccak-256 digest has 32 bytes", nameof(digest));
        Span<ulong> state = stackalloc ulong[25];
        state.Clear();
        while (data.Length >= Rate)
        {
            Absorb(state, data[..Rate]);
            Permute(state);
            data = data[Rate..];
        }
        Span<byte> last = stackalloc byte[Rate];
        last.Clear();
        data.CopyTo(last);
        last[data.Length] ^= 0x01;
        last[Rate - 1] ^= 0x80;
        Absorb(state, last);
        Permute(state);
        for (var i = 0; i < 4; i++) BinaryPrimitives.WriteUInt64LittleEndian(digest[(8 * i)..], state[i]);
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
        var buffer = values.Count <= 32 ? stackalloc byte[32 * values.Count] : new byte[32 * values.Count];
        for (var i = 0; i < values.Count; i++) values[i].CopyTo(buffer[(32 * i)..]);
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

    private static void Absorb(Span<ulong> state, ReadOnlySpan<byte> block)
    {
        for (var i = 0; i < Rate / 8; i++) state[i] ^= BinaryPrimitives.ReadUInt64LittleEndian(block[(8 * i)..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Permute(Span<ulong> s)
    {
        ulong a00 = s[0], a01 = s[1], a02 = s[2], a03 = s[3], a04 = s[4];
        ulong a05 = s[5], a06 = s[6], a07 = s[7], a08 = s[8], a09 = s[9];
        ulong a10 = s[10], a11 = s[11], a12 = s[12], a13 = s[13], a14 = s[14];
        ulong a15 = s[15], a16 = s[16], a17 = s[17], a18 = s[18], a19 = s[19];
        ulong a20 = s[20], a21 = s[21], a22 = s[22], a23 = s[23], a24 = s[24];
        var rc = RoundConstants;
        for (var round = 0; round < 24; round++)
        {
            // θ
            var c0 = a00 ^ a05 ^ a10 ^ a15 ^ a20;
            var c1 = a01 ^ a06 ^ a11 ^ a16 ^ a21;
            var c2 = a02 ^ a07 ^ a12 ^ a17 ^ a22;
            var c3 = a03 ^ a08 ^ a13 ^ a18 ^ a23;
            var c4 = a04 ^ a09 ^ a14 ^ a19 ^ a24;
            var d0 = c4 ^ BitOperations.RotateLeft(c1, 1);
            var d1 = c0 ^ BitOperations.RotateLeft(c2, 1);
            var d2 = c1 ^ BitOperations.RotateLeft(c3, 1);
            var d3 = c2 ^ BitOperations.RotateLeft(c4, 1);
            var d4 = c3 ^ BitOperations.RotateLeft(c0, 1);
            a00 ^= d0; a05 ^= d0; a10 ^= d0; a15 ^= d0; a20 ^= d0;
            a01 ^= d1; a06 ^= d1; a11 ^= d1; a16 ^= d1; a21 ^= d1;
            a02 ^= d2; a07 ^= d2; a12 ^= d2; a17 ^= d2; a22 ^= d2;
            a03 ^= d3; a08 ^= d3; a13 ^= d3; a18 ^= d3; a23 ^= d3;
            a04 ^= d4; a09 ^= d4; a14 ^= d4; a19 ^= d4; a24 ^= d4;

            // ρ and π: b[y][2x+3y] = rot(a[x][y], r[x][y]) (index = x + 5y)
            var b00 = a00;
            var b10 = BitOperations.RotateLeft(a01, 1);
            var b20 = BitOperations.RotateLeft(a02, 62);
            var b05 = BitOperations.RotateLeft(a03, 28);
            var b15 = BitOperations.RotateLeft(a04, 27);
            var b16 = BitOperations.RotateLeft(a05, 36);
            var b01 = BitOperations.RotateLeft(a06, 44);
            var b11 = BitOperations.RotateLeft(a07, 6);
            var b21 = BitOperations.RotateLeft(a08, 55);
            var b06 = BitOperations.RotateLeft(a09, 20);
            var b07 = BitOperations.RotateLeft(a10, 3);
            var b17 = BitOperations.RotateLeft(a11, 10);
            var b02 = BitOperations.RotateLeft(a12, 43);
            var b12 = BitOperations.RotateLeft(a13, 25);
            var b22 = BitOperations.RotateLeft(a14, 39);
            var b23 = BitOperations.RotateLeft(a15, 41);
            var b08 = BitOperations.RotateLeft(a16, 45);
            var b18 = BitOperations.RotateLeft(a17, 15);
            var b03 = BitOperations.RotateLeft(a18, 21);
            var b13 = BitOperations.RotateLeft(a19, 8);
            var b14 = BitOperations.RotateLeft(a20, 18);
            var b24 = BitOperations.RotateLeft(a21, 2);
            var b09 = BitOperations.RotateLeft(a22, 61);
            var b19 = BitOperations.RotateLeft(a23, 56);
            var b04 = BitOperations.RotateLeft(a24, 14);

            // χ
            a00 = b00 ^ (~b01 & b02); a01 = b01 ^ (~b02 & b03); a02 = b02 ^ (~b03 & b04); a03 = b03 ^ (~b04 & b00); a04 = b04 ^ (~b00 & b01);
            a05 = b05 ^ (~b06 & b07); a06 = b06 ^ (~b07 & b08); a07 = b07 ^ (~b08 & b09); a08 = b08 ^ (~b09 & b05); a09 = b09 ^ (~b05 & b06);
            a10 = b10 ^ (~b11 & b12); a11 = b11 ^ (~b12 & b13); a12 = b12 ^ (~b13 & b14); a13 = b13 ^ (~b14 & b10); a14 = b14 ^ (~b10 & b11);
            a15 = b15 ^ (~b16 & b17); a16 = b16 ^ (~b17 & b18); a17 = b17 ^ (~b18 & b19); a18 = b18 ^ (~b19 & b15); a19 = b19 ^ (~b15 & b16);
            a20 = b20 ^ (~b21 & b22); a21 = b21 ^ (~b22 & b23); a22 = b22 ^ (~b23 & b24); a23 = b23 ^ (~b24 & b20); a24 = b24 ^ (~b20 & b21);

            // ι
            a00 ^= rc[round];
        }
        s[0] = a00; s[1] = a01; s[2] = a02; s[3] = a03; s[4] = a04;
        s[5] = a05; s[6] = a06; s[7] = a07; s[8] = a08; s[9] = a09;
        s[10] = a10; s[11] = a11; s[12] = a12; s[13] = a13; s[14] = a14;
        s[15] = a15; s[16] = a16; s[17] = a17; s[18] = a18; s[19] = a19;
        s[20] = a20; s[21] = a21; s[22] = a22; s[23] = a23; s[24] = a24;
    }
}
