using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;

namespace Traceability.Core.Hashing;

/// <summary>
/// Writes the standard <c>eth_signTypedData_v4</c> JSON (types, primaryType, domain, message) of
/// a struct value, so any EIP-712 tool (ethers.js, MetaMask, Nethereum) can recompute its hash.
/// </summary>
public static class TypedDataJson
{
    private const long MaxSafeInteger = (1L << 53) - 1;

    /// <summary>
    /// The typed data of <paramref name="message"/>. With <paramref name="domain"/> the full registry
    /// domain (chain id, contract) is included; without it, a domain of name and version only.
    /// </summary>
    public static string Write(Eip712Schema schema, Eip712Struct message, Eip712Domain? domain = null)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartObject("types");
            var domainFields = domain is null ? Eip712Domain.Type.Fields.Take(2) : Eip712Domain.Type.Fields;
            WriteType(w, Eip712Domain.Type.Name, domainFields);
            foreach (var t in schema.Closure(message.TypeName)) WriteType(w, t.Name, t.Fields);
            w.WriteEndObject();
            w.WriteString("primaryType", message.TypeName);
            w.WriteStartObject("domain");
            w.WriteString("name", Eip712Domain.Name);
            w.WriteString("version", Eip712Domain.Version);
            if (domain is not null)
            {
                WriteNumber(w, "chainId", domain.ChainId);
                w.WriteString("verifyingContract", domain.VerifyingContract);
            }
            w.WriteEndObject();
            w.WritePropertyName("message");
            WriteStruct(w, schema, message);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteType(Utf8JsonWriter w, string name, IEnumerable<Eip712Field> fields)
    {
        w.WriteStartArray(name);
        foreach (var f in fields)
        {
            w.WriteStartObject();
            w.WriteString("name", f.Name);
            w.WriteString("type", f.Type);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteStruct(Utf8JsonWriter w, Eip712Schema schema, Eip712Struct value)
    {
        var type = schema[value.TypeName];
        w.WriteStartObject();
        for (var i = 0; i < type.Fields.Count; i++)
        {
            w.WritePropertyName(type.Fields[i].Name);
            WriteValue(w, schema, value.Values[i]);
        }
        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, Eip712Schema schema, object value)
    {
        switch (value)
        {
            case string s: w.WriteStringValue(s); break;
            case Hash32 h: w.WriteStringValue(h.ToString()); break;
            case ParticipantCode c: w.WriteStringValue("0x" + Convert.ToHexStringLower(c.ToBytes())); break;
            case uint u: w.WriteNumberValue(u); break;
            case ulong ul when ul <= MaxSafeInteger: w.WriteNumberValue(ul); break;
            case ulong ul: w.WriteStringValue(ul.ToString(CultureInfo.InvariantCulture)); break;
            case BigInteger b when b <= MaxSafeInteger: w.WriteNumberValue((long)b); break;
            case BigInteger b: w.WriteStringValue(b.ToString(CultureInfo.InvariantCulture)); break;
            case Eip712Struct s: WriteStruct(w, schema, s); break;
            case IEnumerable items:
                w.WriteStartArray();
                foreach (var item in items) WriteValue(w, schema, item!);
                w.WriteEndArray();
                break;
            default: throw new NotSupportedException($"cannot write a {value.GetType().Name} as typed data");
        }
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, BigInteger value)
    {
        if (value <= MaxSafeInteger) w.WriteNumber(name, (long)value);
        else w.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
    }
}
