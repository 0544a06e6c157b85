using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Net.Http.Headers;
using System.Numerics;
using System.Text.Json;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Traceability.Chain.Rpc;

/// <summary>
/// Writes a JSON-RPC batch request as UTF-8 with System.Text.Json, straight from the calls' parameters:
/// strings, numbers, booleans, null, dictionaries (call objects, log filters) and sequences (topics). A
/// Newtonsoft <see cref="JToken"/> parameter, which the read path does not use, is written as its raw JSON.
/// </summary>
public static class RpcRequestWriter
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>The HTTP content of a batch of <paramref name="calls"/> with ids from <paramref name="firstId"/> on.</summary>
    public static HttpContent Content(IReadOnlyList<RpcCall> calls, long firstId)
    {
        var buffer = new ArrayBufferWriter<byte>(256 * calls.Count);
        Write(buffer, calls, firstId);
        var content = new ReadOnlyMemoryContent(buffer.WrittenMemory);
        content.Headers.ContentType = Json;
        return content;
    }

    /// <summary>Writes the batch of <paramref name="calls"/> (ids from <paramref name="firstId"/> on) into <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, IReadOnlyList<RpcCall> calls, long firstId)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        w.WriteStartArray();
        for (var i = 0; i < calls.Count; i++)
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc"u8, "2.0"u8);
            w.WriteNumber("id"u8, firstId + i);
            w.WriteString("method"u8, calls[i].Method);
            w.WriteStartArray("params"u8);
            foreach (var p in calls[i].Parameters) Value(w, p);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Value(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case int n: w.WriteNumberValue(n); break;
            case long n: w.WriteNumberValue(n); break;
            case uint n: w.WriteNumberValue(n); break;
            case ulong n: w.WriteNumberValue(n); break;
            case BigInteger n: w.WriteRawValue(n.ToString(CultureInfo.InvariantCulture), skipInputValidation: true); break;
            case JToken t: w.WriteRawValue(t.ToString(Formatting.None)); break;
            case IDictionary<string, string> d:
                w.WriteStartObject();
                foreach (var (k, v) in d) w.WriteString(k, v);
                w.WriteEndObject();
                break;
            case IDictionary<string, object?> d:
                w.WriteStartObject();
                foreach (var (k, v) in d)
                {
                    w.WritePropertyName(k);
                    Value(w, v);
                }
                w.WriteEndObject();
                break;
            case IEnumerable e:
                w.WriteStartArray();
                foreach (var item in e) Value(w, item);
                w.WriteEndArray();
                break;
            default: throw new ArgumentException($"a JSON-RPC parameter of type {value.GetType().Name} cannot be written", nameof(value));
        }
    }
}
