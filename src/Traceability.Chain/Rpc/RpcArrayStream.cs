using System.Text.Json;
using Newtonsoft.Json.Linq;

namespace Traceability.Chain.Rpc;

/// <summary>
/// Reads a JSON-RPC answer whose result is an array (eth_getLogs) as it streams in, handing each item to a callback
/// and keeping only the item being read: an interval-mined dev node's block can hold 40,000 parcel events, about
/// 30 MB of JSON in one answer, and a document held whole for that (plus the buffers the array pool keeps after it)
/// was most of a year's replay's memory. The answer may be the object itself or a batch of one ([{...}]), after a byte
/// order mark or not; an "error" member (not null) is thrown as <see cref="ChainRpc"/> reports errors; an answer
/// without one result that is an array (or null) is refused, not read as no items or as two results' items. The buffer
/// grows only as far as the largest single item.
/// </summary>
internal sealed class RpcArrayStream(Stream stream, string method, Action<JsonElement> item)
{
    /// <summary>
    /// The most one item (or one member skipped beside the result) may take: a registry event's log is a few kilobytes;
    /// a node that streams one endless value is refused here rather than let the buffer grow without end.
    /// </summary>
    public const int MaxItemBytes = 16 << 20;

    private byte[] _buffer = new byte[1 << 16];
    private int _start, _end;
    private bool _final;
    private bool _started;
    private bool _result;
    private JsonReaderState _state;
    private Phase _phase = Phase.Answer;
    private Exception? _error;

    private enum Phase
    {
        Answer,      // before the answer's object (or the batch's array around it)
        Batch,       // inside the batch's array, before the object
        Members,     // inside the answer's object
        Result,      // inside the result array
        Done,
    }

    /// <summary>Items handed over so far.</summary>
    public int Count { get; private set; }

    /// <summary>Reads the whole answer; throws the node's error, or <see cref="JsonException"/> for an answer that is not JSON-RPC.</summary>
    public async Task<int> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            Step();
            if (_error is not null) throw _error;
            if (_phase == Phase.Done) return Count;
            if (_final) throw new JsonException($"{method}: the node's answer ended before it was complete");
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length)
            {
                // an item larger than the buffer
                if (_buffer.Length >= MaxItemBytes) throw new JsonException($"{method}: an item of the node's answer is larger than {MaxItemBytes >> 20} MB");
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(false);
            if (read == 0) _final = true;
            _end += read;
        }
    }

    /// <summary>Reads every complete unit (a token, a whole item, a whole skipped value) the buffer holds.</summary>
    private void Step()
    {
        if (!_started)
        {
            // a UTF-8 byte order mark before the answer is read past, as the other reads of the node's answers do
            var head = _buffer.AsSpan(_start, _end - _start);
            if (!_final && head.Length < Bom.Length && Bom.StartsWith(head)) return;
            if (head.StartsWith(Bom)) _start += Bom.Length;
            _started = true;
        }
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
        while (_phase != Phase.Done && _error is null)
        {
            var before = reader.CurrentState;
            var consumed = (int)reader.BytesConsumed;
            if (!reader.Read() || !Unit(ref reader))
            {
                // incomplete: start again from the unit's first byte once more has arrived
                _state = before;
                _start += consumed;
                return;
            }
        }
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    /// <summary>Takes one token and what it needs after it; false when the buffer ends inside it.</summary>
    private bool Unit(ref Utf8JsonReader reader)
    {
        switch (_phase)
        {
            case Phase.Answer when reader.TokenType == JsonTokenType.StartArray:
                _phase = Phase.Batch;
                return true;
            case Phase.Answer or Phase.Batch when reader.TokenType == JsonTokenType.StartObject:
                _phase = Phase.Members;
                return true;
            case Phase.Members when reader.TokenType == JsonTokenType.EndObject:
                if (!_result) throw new JsonException($"{method}: the node's answer holds neither a result nor an error");
                _phase = Phase.Done;
                return true;
            case Phase.Members when reader.TokenType == JsonTokenType.PropertyName:
                var name = reader.GetString();
                if (!reader.Read()) return false;
                var kind = reader.TokenType;
                if (name == "result")
                {
                    // one result, an array (or null: none); another would be read as items the other reads do not see
                    if (_result || kind is not (JsonTokenType.StartArray or JsonTokenType.Null))
                    {
                        throw new JsonException($"{method}: the node's answer holds {(_result ? "a second result" : $"a result that is not an array ({kind})")}");
                    }
                    _result = true;
                    if (kind == JsonTokenType.StartArray) _phase = Phase.Result;
                    return true;
                }
                var at = (int)reader.TokenStartIndex;
                if (!reader.TrySkip()) return false;
                if (name == "error" && kind != JsonTokenType.Null) _error = Error(_buffer.AsSpan(_start + at, (int)reader.BytesConsumed - at));
                return true;
            case Phase.Result when reader.TokenType == JsonTokenType.EndArray:
                _phase = Phase.Members;
                return true;
            case Phase.Result:
                var from = (int)reader.TokenStartIndex;
                if (!reader.TrySkip()) return false;
                using (var document = JsonDocument.Parse(_buffer.AsMemory(_start + from, (int)reader.BytesConsumed - from)))
                {
                    item(document.RootElement);
                }
                Count++;
                return true;
            default:
                throw new JsonException($"{method}: the node's answer is not a JSON-RPC answer (unexpected {reader.TokenType})");
        }
    }

    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    private Exception Error(ReadOnlySpan<byte> json)
    {
        var error = JToken.Parse(System.Text.Encoding.UTF8.GetString(json)) as JObject;
        return ChainRpc.Translate(method, (int?)error?["code"] ?? -32603, (string?)error?["message"] ?? "error", error?["data"]);
    }
}
