using System.Collections;
using System.Globalization;
using System.Numerics;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;

namespace Traceability.Core.Hashing;

/// <summary>EIP-712 hashStruct and the typed-data digest, for the types of a schema.</summary>
public static class Eip712Encoder
{
    /// <summary>hashStruct(s) = keccak256(typeHash ‖ encodeData(s)).</summary>
    public static Hash32 HashStruct(Eip712Schema schema, Eip712Struct value)
    {
        var type = schema[value.TypeName];
        if (type.Fields.Count != value.Values.Count)
        {
            throw new ArgumentException($"{type.Name} has {type.Fields.Count} members, the value has {value.Values.Count}");
        }
        var buffer = new byte[32 * (type.Fields.Count + 1)];
        schema.TypeHash(type.Name).CopyTo(buffer);
        for (var i = 0; i < type.Fields.Count; i++)
        {
            EncodeValue(schema, type.Fields[i], value.Values[i]).CopyTo(buffer.AsSpan(32 * (i + 1)));
        }
        return Keccak.Hash(buffer);
    }

    /// <summary>The digest a signer signs: keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(message)).</summary>
    public static Hash32 Digest(Hash32 domainSeparator, Hash32 structHash)
    {
        Span<byte> buffer = stackalloc byte[66];
        buffer[0] = 0x19;
        buffer[1] = 0x01;
        domainSeparator.CopyTo(buffer[2..]);
        structHash.CopyTo(buffer[34..]);
        return Keccak.Hash(buffer);
    }

    private static Hash32 EncodeValue(Eip712Schema schema, Eip712Field field, object value)
    {
        var type = field.Type;
        if (type.EndsWith("[]", StringComparison.Ordinal))
        {
            if (value is not IEnumerable items || value is string) throw Mismatch(field, value);
            var element = field with { Type = type[..^2] };
            var encoded = new List<Hash32>();
            foreach (var item in items) encoded.Add(EncodeValue(schema, element, item!));
            return Keccak.HashConcat(encoded);
        }
        if (schema.IsStruct(type))
        {
            return value is Eip712Struct s && s.TypeName == type ? HashStruct(schema, s) : throw Mismatch(field, value);
        }
        Span<byte> word = stackalloc byte[32];
        switch (type)
        {
            case "string":
                return value is string text ? Keccak.Hash(text) : throw Mismatch(field, value);
            case "bytes32":
                return value is Hash32 h ? h : throw Mismatch(field, value);
            case "bytes2":
                if (value is not ParticipantCode code) throw Mismatch(field, value);
                code.ToBytes().CopyTo(word);
                return Hash32.FromBytes(word);
            case "address":
                if (value is not string address || address.Length != 42 || !address.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) throw Mismatch(field, value);
                Convert.FromHexString(address.AsSpan(2)).CopyTo(word[12..]);
                return Hash32.FromBytes(word);
            case "uint32" or "uint64" or "uint256":
                var number = value switch
                {
                    uint u => u,
                    ulong ul => ul,
                    int i when i >= 0 => i,
                    long l when l >= 0 => l,
                    BigInteger b when b.Sign >= 0 => b,
                    _ => throw Mismatch(field, value),
                };
                var bits = int.Parse(type.AsSpan(4), CultureInfo.InvariantCulture);
                if (number >= BigInteger.One << bits) throw new ArgumentException($"{field.Name} = {number} does not fit {type}");
                var bytes = number.ToByteArray(isUnsigned: true, isBigEndian: true);
                bytes.CopyTo(word[(32 - bytes.Length)..]);
                return Hash32.FromBytes(word);
            default:
                throw new NotSupportedException($"EIP-712 type '{type}' of {field.Name} is not supported");
        }
    }

    private static ArgumentException Mismatch(Eip712Field field, object value) =>
        new($"{field.Name} is declared {field.Type} but the value is a {value?.GetType().Name ?? "null"}");
}
