using System.Text.Json;

namespace Traceability.Chain.Rpc;

/// <summary>
/// The node's answer to a batch sent by <see cref="ChainRpc.ReadBatchAsync"/>, parsed once: each call's
/// result as a <see cref="JsonElement"/> (valid until the answer is disposed), or its error as the exception
/// the call would have thrown alone.
/// </summary>
public sealed class RpcBatchAnswer : IDisposable
{
    /// <summary>The answer to no calls.</summary>
    public static readonly RpcBatchAnswer Empty = new(null, [], []);

    private readonly JsonDocument? _document;
    private readonly JsonElement[] _results;
    private readonly Exception?[] _errors;

    private RpcBatchAnswer(JsonDocument? document, JsonElement[] results, Exception?[] errors) =>
        (_document, _results, _errors) = (document, results, errors);

    /// <summary>How many calls it answers.</summary>
    public int Count => _results.Length;

    /// <summary>The result of call <paramref name="index"/> (undefined when the node gave none, as with an error).</summary>
    public JsonElement Result(int index) => _results[index];

    /// <summary>The error of call <paramref name="index"/>, or null.</summary>
    public Exception? Error(int index) => _errors[index];

    /// <summary>Matches the answers of <paramref name="document"/> to <paramref name="calls"/> by id (ids from <paramref name="firstId"/> on, in the calls' order).</summary>
    internal static RpcBatchAnswer From(JsonDocument document, IReadOnlyList<RpcCall> calls, long firstId)
    {
        try
        {
            var results = new JsonElement[calls.Count];
            var errors = new Exception?[calls.Count];
            var seen = new bool[calls.Count];
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var whole))
            {
                // the node refused the batch as a whole (for example a batch too large)
                var error = Error("batch", whole);
                Array.Fill(errors, error);
                return new RpcBatchAnswer(document, results, errors);
            }
            if (root.ValueKind != JsonValueKind.Array) throw new JsonException($"expected a JSON-RPC batch answer (an array), got {root.ValueKind}");
            foreach (var item in root.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("id", out var idElement) || !idElement.TryGetInt64(out var id)) continue;
                var i = id - firstId;
                if (i < 0 || i >= calls.Count) continue;
                seen[i] = true;
                if (item.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    errors[i] = Error(calls[(int)i].Method, error);
                }
                else if (item.TryGetProperty("result", out var result))
                {
                    results[i] = result;
                }
            }
            for (var i = 0; i < calls.Count; i++)
            {
                if (!seen[i]) errors[i] = new ChainRpcException(calls[i].Method, 0, "the node's batch answer has no answer to this call");
            }
            return new RpcBatchAnswer(document, results, errors);
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    private static Exception Error(string method, JsonElement error)
    {
        var code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : 0;
        var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "no message";
        object? data = error.TryGetProperty("data", out var d) ? d.Clone() : null;
        return ChainRpc.Translate(method, code, message, data);
    }

    /// <inheritdoc />
    public void Dispose() => _document?.Dispose();
}
