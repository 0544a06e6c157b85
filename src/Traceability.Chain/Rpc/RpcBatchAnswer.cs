using System.Text.Json;

namespace Traceability.Chain.Rpc;

/// <summary>
/// The node's answer to a batch sent by <see cref="ChainRpc.ReadBatchAsync"/>, parsed once: each call's
/// result as a <see cref="JsonElement"/> (valid until the answer is disposed), or its error as the exception
/// the call would have thrown alone. Answers split from one HTTP answer (<see cref="Split"/>) share its
/// document, which the last of them to be disposed returns.
/// </summary>
public sealed class RpcBatchAnswer : IDisposable
{
    /// <summary>The answer to no calls.</summary>
    public static readonly RpcBatchAnswer Empty = new(null, [], [], 0, 0);

    private readonly SharedDocument? _document;
    private readonly JsonElement[] _results;
    private readonly Exception?[] _errors;
    private readonly int _offset;
    private int _disposed;

    private RpcBatchAnswer(SharedDocument? document, JsonElement[] results, Exception?[] errors, int offset, int count) =>
        (_document, _results, _errors, _offset, Count) = (document, results, errors, offset, count);

    /// <summary>How many calls it answers.</summary>
    public int Count { get; }

    /// <summary>The result of call <paramref name="index"/> (undefined when the node gave none, as with an error).</summary>
    public JsonElement Result(int index) => _results[_offset + Within(index)];

    /// <summary>The error of call <paramref name="index"/>, or null.</summary>
    public Exception? Error(int index) => _errors[_offset + Within(index)];

    private int Within(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return index;
    }

    /// <summary>
    /// This answer as consecutive answers of <paramref name="counts"/> calls each (their sum is <see cref="Count"/>): the
    /// answers of batches that were sent together. Each holds the parsed document until it is disposed; this one is then spent.
    /// </summary>
    internal RpcBatchAnswer[] Split(IReadOnlyList<int> counts)
    {
        if (counts.Count == 0) throw new ArgumentException("an answer splits into one part at least", nameof(counts));
        if (counts.Sum() != Count) throw new ArgumentException($"the parts' calls ({counts.Sum()}) are not the answer's ({Count})", nameof(counts));
        _document?.Hold(counts.Count - 1); // this answer's hold passes to the first part
        var parts = new RpcBatchAnswer[counts.Count];
        var offset = _offset;
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = new RpcBatchAnswer(_document, _results, _errors, offset, counts[i]);
            offset += counts[i];
        }
        Interlocked.Exchange(ref _disposed, 1);
        return parts;
    }

    /// <summary>Matches the answers of <paramref name="document"/> to <paramref name="calls"/> by id (ids from <paramref name="firstId"/> on, in the calls' order).</summary>
    internal static RpcBatchAnswer From(JsonDocument document, IReadOnlyList<RpcCall> calls, long firstId)
    {
        try
        {
            var results = new JsonElement[calls.Count];
            var errors = new Exception?[calls.Count];
            var seen = new bool[calls.Count];
            var root = document.RootElement;
            var shared = new SharedDocument(document);
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var whole))
            {
                // the node refused the batch as a whole (for example a batch too large)
                var error = Error("batch", whole);
                Array.Fill(errors, error);
                return new RpcBatchAnswer(shared, results, errors, 0, calls.Count);
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
            return new RpcBatchAnswer(shared, results, errors, 0, calls.Count);
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
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _document?.Release();
    }

    /// <summary>A parsed answer and how many answers still read it: the last release returns its buffers.</summary>
    private sealed class SharedDocument(JsonDocument document)
    {
        private int _holders = 1;

        public void Hold(int more) => Interlocked.Add(ref _holders, more);

        public void Release()
        {
            if (Interlocked.Decrement(ref _holders) == 0) document.Dispose();
        }
    }
}
