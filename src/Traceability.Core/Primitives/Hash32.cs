using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Traceability.Core.Primitives;

/// <summary>
/// A 32-byte value (Solidity <c>bytes32</c>): a record hash, a salt, a Merkle node. Compared and
/// ordered as a big-endian unsigned number, the order the contract uses for transformation inputs.
/// Written as 0x followed by 64 lower-case hex digits.
/// </summary>
public readonly struct Hash32 : IEquatable<Hash32>, IComparable<Hash32>
{
    private readonly ulong _a, _b, _c, _d; // big-endian words, _a most significant

    private Hash32(ulong a, ulong b, ulong c, ulong d) => (_a, _b, _c, _d) = (a, b, c, d);

    /// <summary>The zero value.</summary>
    public static Hash32 Zero => default;

    /// <summary>Whether every byte is zero.</summary>
    public bool IsZero => (_a | _b | _c | _d) == 0;

    /// <summary>A value from exactly 32 bytes.</summary>
    public static Hash32 FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 32) throw new ArgumentException($"a bytes32 value has 32 bytes, not {bytes.Length}", nameof(bytes));
        return new Hash32(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]));
    }

    /// <summary>Writes the 32 bytes into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _d);
    }

    /// <summary>The 32 bytes, as a new array.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[32];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>The first 20 bytes, as the contract keeps truncated commitments (<c>bytes20</c>).</summary>
    public byte[] First20Bytes() => ToArray()[..20];

    /// <summary>Parses 0x followed by exactly 64 hex digits (either case).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Hash32 value)
    {
        value = default;
        if (text is not { Length: 66 } || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) return false;
        Span<byte> bytes = stackalloc byte[32];
        if (Convert.FromHexString(text.AsSpan(2), bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32) return false;
        value = FromBytes(bytes);
        return true;
    }

    /// <summary>Parses a bytes32 value or throws <see cref="FormatException"/> naming the expected form.</summary>
    public static Hash32 Parse(string? text) =>
        TryParse(text, out var value)
            ? value
            : throw new FormatException($"'{Shorten(text)}' is not a 32-byte hex value: expected 0x followed by 64 hex digits");

    /// <inheritdoc />
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[32];
        CopyTo(bytes);
        return "0x" + Convert.ToHexStringLower(bytes);
    }

    /// <summary>0x and the first 8 hex digits, for tables.</summary>
    public string ToShortString() => ToString()[..10] + "…";

    /// <inheritdoc />
    public bool Equals(Hash32 other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Hash32 other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_a, _b, _c, _d);

    /// <inheritdoc />
    public int CompareTo(Hash32 other)
    {
        var c = _a.CompareTo(other._a);
        if (c != 0) return c;
        c = _b.CompareTo(other._b);
        if (c != 0) return c;
        c = _c.CompareTo(other._c);
        return c != 0 ? c : _d.CompareTo(other._d);
    }

    /// <summary>Equality.</summary>
    public static bool operator ==(Hash32 left, Hash32 right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Hash32 left, Hash32 right) => !left.Equals(right);

    /// <summary>Unsigned big-endian order.</summary>
    public static bool operator <(Hash32 left, Hash32 right) => left.CompareTo(right) < 0;

    /// <summary>Unsigned big-endian order.</summary>
    public static bool operator >(Hash32 left, Hash32 right) => left.CompareTo(right) > 0;

    /// <summary>Unsigned big-endian order.</summary>
    public static bool operator <=(Hash32 left, Hash32 right) => left.CompareTo(right) <= 0;

    /// <summary>Unsigned big-endian order.</summary>
    public static bool operator >=(Hash32 left, Hash32 right) => left.CompareTo(right) >= 0;

    private static string Shorten(string? text) => text is null ? "null" : text.Length > 80 ? text[..77] + "..." : text;
}
