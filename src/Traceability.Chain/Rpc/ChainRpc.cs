using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.JsonRpc.Client;
using Newtonsoft.Json.Linq;

namespace Traceability.Chain.Rpc;

/// <summary>One call of a JSON-RPC batch.</summary>
/// <param name="Method">The method.</param>
/// <param name="Parameters">Its parameters.</param>
public sealed record RpcCall(string Method, params object?[] Parameters);

/// <summary>
/// Plain Ethereum JSON-RPC over Nethereum's client: single calls and batches, explicit request
/// ids, reverts as <see cref="RevertException"/> (raw: the registry layer decodes them), transport failures as
/// <see cref="ChainUnavailableException"/>. Counts round trips, so callers can bound them.
/// </summary>
public sealed class ChainRpc : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _uri;
    private readonly RpcClient _client;
    private ReadCoalescer? _coalescer;
    private long _nextId;
    private long _roundTrips;
    private long _calls;

    /// <summary>A client of the node at <paramref name="url"/>.</summary>
    public ChainRpc(string url, TimeSpan? timeout = null)
    {
        Url = url;
        _uri = new Uri(url);
        _http = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        _client = new RpcClient(_uri, _http, null, null, null);
    }

    /// <summary>
    /// A client of the node at <paramref name="url"/> over a shared <paramref name="handler"/> (its
    /// connections; not disposed with this client): one cheap client per unit of work, for example per
    /// request in a server, so that <see cref="RoundTrips"/> counts that work's round trips only.
    /// </summary>
    public ChainRpc(string url, HttpMessageHandler handler, TimeSpan? timeout = null)
    {
        Url = url;
        _uri = new Uri(url);
        _http = new HttpClient(handler, disposeHandler: false) { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        _client = new RpcClient(_uri, _http, null, null, null);
    }

    /// <summary>The endpoint.</summary>
    public string Url { get; }

    /// <summary>
    /// Nethereum's client, over the same HttpClient. Made with this client, not on first use: it sets the HttpClient's base
    /// address, which an HttpClient refuses once it has sent a request (a client whose first read was a batch, then a single
    /// call, failed with InvalidOperationException: the verifier judging a certificate of an authority since removed).
    /// </summary>
    private RpcClient Client => _client;

    /// <summary>HTTP round trips so far (a batch counts once).</summary>
    public long RoundTrips => Interlocked.Read(ref _roundTrips);

    /// <summary>JSON-RPC calls so far (each call of a batch counts).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Sends one call and returns its result.</summary>
    public Task<JToken> RequestAsync(string method, params object?[] parameters) => RequestAsync(new RpcCall(method, parameters));

    /// <summary>Sends one call and returns its result; <paramref name="ct"/> stops the wait.</summary>
    public async Task<JToken> RequestAsync(RpcCall call, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested(); // a cancelled call is never sent
        var (method, parameters) = (call.Method, call.Parameters);
        Interlocked.Increment(ref _roundTrips);
        Interlocked.Increment(ref _calls);
        var id = Interlocked.Increment(ref _nextId);
        try
        {
            var result = await Client.SendRequestAsync<JToken>(new RpcRequest(id, method, parameters)).WaitAsync(ct).ConfigureAwait(false);
            return result ?? JValue.CreateNull();
        }
        catch (RpcResponseException e)
        {
            throw Translate(method, e.RpcError.Code, e.RpcError.Message, e.RpcError.Data);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is RpcClientUnknownException or RpcClientTimeoutException or HttpRequestException or TaskCanceledException)
        {
            throw new ChainUnavailableException(Url, e.InnerException ?? e);
        }
    }

    /// <summary>
    /// Sends the calls in one JSON-RPC batch (one round trip). Each result is the call's result,
    /// or the exception it would have thrown alone.
    /// </summary>
    public async Task<IReadOnlyList<(JToken? Result, Exception? Error)>> BatchAsync(IReadOnlyList<RpcCall> calls, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        if (calls.Count == 0) return [];
        Interlocked.Increment(ref _roundTrips);
        Interlocked.Add(ref _calls, calls.Count);
        var batch = new RpcRequestResponseBatch { AcceptPartiallySuccessful = true };
        var items = new List<RpcRequestResponseBatchItem<RpcRequestResponseHandler<JToken>, JToken>>();
        foreach (var c in calls)
        {
            var item = new RpcRequestResponseBatchItem<RpcRequestResponseHandler<JToken>, JToken>(
                new RpcRequestResponseHandler<JToken>(Client, c.Method),
                new RpcRequest(Interlocked.Increment(ref _nextId), c.Method, c.Parameters));
            items.Add(item);
            batch.BatchItems.Add(item);
        }
        try
        {
            await Client.SendBatchRequestAsync(batch).WaitAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is RpcClientUnknownException or RpcClientTimeoutException or HttpRequestException or TaskCanceledException)
        {
            throw new ChainUnavailableException(Url, e.InnerException ?? e);
        }
        return [.. items.Select((item, i) => item.HasError
            ? ((JToken?)null, (Exception?)Translate(calls[i].Method, item.RpcError.Code, item.RpcError.Message, item.RpcError.Data))
            : (item.Response ?? JValue.CreateNull(), null))];
    }

    /// <summary>
    /// Sends the calls in one JSON-RPC batch (one round trip) over System.Text.Json: the request is written
    /// as UTF-8 straight from the calls, the answer parsed once into a <see cref="RpcBatchAnswer"/> (dispose it
    /// when its results are read). The read path's client: no Newtonsoft, no per-call objects. Each call's
    /// result is its JSON value, or the exception it would have thrown alone.
    /// </summary>
    public Task<RpcBatchAnswer> ReadBatchAsync(IReadOnlyList<RpcCall> calls, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        if (calls.Count == 0) return Task.FromResult(RpcBatchAnswer.Empty);
        return _coalescer is { } coalescer ? coalescer.ReadAsync(calls, ct) : SendReadBatchAsync(calls, ct);
    }

    /// <summary>
    /// Makes concurrent <see cref="ReadBatchAsync"/> calls share HTTP requests of up to <paramref name="maxCalls"/> calls, at most
    /// <paramref name="maxRequests"/> at the node at once (see <see cref="ReadCoalescer"/>): for many verifications in parallel.
    /// <see cref="RoundTrips"/> then counts the shared requests. Set before the first read.
    /// </summary>
    public ChainRpc CoalesceReads(int maxCalls = 256, int maxRequests = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCalls, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRequests, 1);
        _coalescer = new ReadCoalescer(calls => SendReadBatchAsync(calls, CancellationToken.None), maxCalls, maxRequests);
        return this;
    }

    private async Task<RpcBatchAnswer> SendReadBatchAsync(IReadOnlyList<RpcCall> calls, CancellationToken ct)
    {
        Interlocked.Increment(ref _roundTrips);
        Interlocked.Add(ref _calls, calls.Count);
        var firstId = Interlocked.Add(ref _nextId, calls.Count) - calls.Count + 1;
        using var content = RpcRequestWriter.Content(calls, firstId);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _uri) { Content = content };
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"the node answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
            }
            var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var document = await JsonDocument.ParseAsync(stream, default, ct).ConfigureAwait(false);
                return RpcBatchAnswer.From(document, calls, firstId);
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or TaskCanceledException or JsonException or IOException)
        {
            throw new ChainUnavailableException(Url, e is TaskCanceledException { InnerException: TimeoutException t } ? t : e);
        }
    }

    /// <summary>
    /// One call whose result is an array, read as it streams in (<see cref="RpcArrayStream"/>): each item is handed to
    /// <paramref name="item"/> as a <see cref="JsonElement"/> valid during that call only, and the answer is never held
    /// whole (eth_getLogs over full blocks of a dev node answers tens of megabytes). Returns the number of items.
    /// Errors and transport failures as <see cref="RequestAsync(RpcCall, CancellationToken)"/> reports them.
    /// </summary>
    public async Task<int> StreamArrayAsync(RpcCall call, Action<JsonElement> item, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _roundTrips);
        Interlocked.Increment(ref _calls);
        using var content = RpcRequestWriter.Content([call], Interlocked.Increment(ref _nextId));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_http.Timeout); // the client's timeout ends with the headers: the body is read under this one
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _uri) { Content = content };
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"the node answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
            }
            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await new RpcArrayStream(stream, call.Method, item).ReadAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new ChainUnavailableException(Url, new TimeoutException($"{call.Method}: no complete answer within {_http.Timeout.TotalSeconds:0} s", e));
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or JsonException or IOException)
        {
            throw new ChainUnavailableException(Url, e);
        }
    }

    /// <summary>
    /// eth_getTransactionReceipt read without its logs (null while the node has no receipt): the response is
    /// read as it streams in with <see cref="Utf8JsonReader"/>, and the logs are skipped, not built into objects.
    /// Errors and transport failures as <see cref="RequestAsync(RpcCall, CancellationToken)"/> reports them.
    /// </summary>
    public async Task<ReceiptSummary?> ReceiptSummaryAsync(string hash, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        if (!IsHex(hash)) throw new ArgumentException($"'{hash}' is not a 0x hex transaction hash", nameof(hash));
        Interlocked.Increment(ref _roundTrips);
        Interlocked.Increment(ref _calls);
        var id = Interlocked.Increment(ref _nextId);
        var body = $$"""{"jsonrpc":"2.0","id":{{id}},"method":"eth_getTransactionReceipt","params":["{{hash}}"]}""";
        byte[] response;
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var reply = await _http.PostAsync(Url, content, ct).ConfigureAwait(false);
            response = await reply.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            if (!reply.IsSuccessStatusCode && response.Length == 0) throw new HttpRequestException($"HTTP {(int)reply.StatusCode}");
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or TaskCanceledException)
        {
            throw new ChainUnavailableException(Url, e.InnerException ?? e);
        }
        return ReadReceipt(response);
    }

    private static ReceiptSummary? ReadReceipt(ReadOnlySpan<byte> json)
    {
        var r = new Utf8JsonReader(json);
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject) throw new ChainRpcException("eth_getTransactionReceipt", -32700, "the node's answer is not a JSON object");
        ReceiptSummary? receipt = null;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var name = r.GetString();
            r.Read();
            if (name == "result" && r.TokenType == JsonTokenType.StartObject)
            {
                string? status = null, block = null, blockHash = null, gas = null, created = null;
                var logs = 0;
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    var field = r.GetString();
                    r.Read();
                    if (field == "logs" && r.TokenType == JsonTokenType.StartArray)
                    {
                        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                        {
                            logs++;
                            r.Skip();
                        }
                    }
                    else if (r.TokenType == JsonTokenType.String)
                    {
                        var value = r.GetString();
                        switch (field)
                        {
                            case "status": status = value; break;
                            case "blockNumber": block = value; break;
                            case "blockHash": blockHash = value; break;
                            case "gasUsed": gas = value; break;
                            case "contractAddress": created = value; break;
                        }
                    }
                    else r.Skip();
                }
                if (status is null || block is null || blockHash is null || gas is null)
                {
                    throw new ChainRpcException("eth_getTransactionReceipt", -32603, "the node's receipt lacks status, blockNumber, blockHash or gasUsed");
                }
                receipt = new ReceiptSummary((int)status.HexToBigInteger(false), block.HexToBigInteger(false), blockHash, gas.HexToBigInteger(false), created, logs);
            }
            else if (name == "error" && r.TokenType == JsonTokenType.StartObject)
            {
                var error = JObject.Parse(ErrorText(ref r, json));
                throw Translate("eth_getTransactionReceipt", (int?)error["code"] ?? -32603, (string?)error["message"] ?? "error", error["data"]);
            }
            else r.Skip();
        }
        return receipt;
    }

    private static string ErrorText(ref Utf8JsonReader r, ReadOnlySpan<byte> json)
    {
        var start = (int)r.TokenStartIndex;
        r.Skip();
        return Encoding.UTF8.GetString(json[start..((int)r.BytesConsumed)]);
    }

    private static bool IsHex(string text) =>
        text.Length > 2 && text.StartsWith("0x", StringComparison.Ordinal) && text.AsSpan(2).IndexOfAnyExcept("0123456789abcdefABCDEF") < 0;

    /// <summary>eth_chainId.</summary>
    public async Task<BigInteger> ChainIdAsync() => Quantity(await RequestAsync("eth_chainId").ConfigureAwait(false));

    /// <summary>eth_blockNumber.</summary>
    public async Task<BigInteger> BlockNumberAsync() => Quantity(await RequestAsync("eth_blockNumber").ConfigureAwait(false));

    /// <summary>The gas of block <paramref name="number"/> (null: the latest), by eth_getBlockByNumber without its transactions.</summary>
    public async Task<BlockGas> BlockGasAsync(BigInteger? number = null)
    {
        var block = await RequestAsync("eth_getBlockByNumber", number is { } n ? Hex(n) : "latest", false).ConfigureAwait(false);
        return new BlockGas((ulong)Quantity(block["number"]!), Quantity(block["gasUsed"]!), Quantity(block["gasLimit"]!), (ulong)Quantity(block["timestamp"]!),
            ((JArray?)block["transactions"])?.Count ?? 0);
    }

    /// <summary>
    /// The latest block's gas limit (eth_getBlockByNumber "latest"), or null when the node tells none that is a positive
    /// hex quantity (no block, no gasLimit, zero, not a number): a caller bounding its gas in flight by it then keeps its
    /// other bounds rather than failing every send on an odd node. Transport and RPC errors still throw.
    /// </summary>
    public async Task<BigInteger?> LatestGasLimitAsync()
    {
        var block = await RequestAsync("eth_getBlockByNumber", "latest", false).ConfigureAwait(false);
        if (block is not JObject { } b || b["gasLimit"] is not { Type: JTokenType.String } token) return null;
        var text = (string)token!;
        if (!text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || text.Length is < 3 or > 66
            || !text[2..].All(char.IsAsciiHexDigit)) return null;
        var limit = Quantity(token);
        return limit > 0 ? limit : null;
    }

    /// <summary>eth_getCode at the latest block, 0x hex.</summary>
    public async Task<string> GetCodeAsync(string address) =>
        (string)(await RequestAsync("eth_getCode", address, "latest").ConfigureAwait(false))!;

    /// <summary>eth_call of <paramref name="data"/> on <paramref name="to"/>; reverts throw <see cref="RevertException"/>.</summary>
    public async Task<string> CallAsync(string to, string data, string block = "latest", string? from = null, CancellationToken ct = default) =>
        (string)(await RequestAsync(new RpcCall("eth_call", CallObject(to, data, from), block), ct).ConfigureAwait(false))!;

    /// <summary>The eth_call object for a batch.</summary>
    public static RpcCall Call(string to, string data, string block = "latest") => new("eth_call", CallObject(to, data, null), block);

    /// <summary>A hex quantity as a number.</summary>
    public static BigInteger Quantity(JToken token) => ((string)token!).HexToBigInteger(false);

    /// <summary>A number as a hex quantity.</summary>
    public static string Hex(BigInteger value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0') switch
    {
        "" => "0",
        var s => s,
    };

    private static Dictionary<string, string> CallObject(string to, string data, string? from)
    {
        var o = new Dictionary<string, string>(3, StringComparer.Ordinal) { ["to"] = to, ["data"] = data };
        if (from is not null) o["from"] = from;
        return o;
    }

    /// <summary>An RPC error as the exception callers handle: a decoded revert, or the node's message.</summary>
    internal static Exception Translate(string method, int code, string message, object? data)
    {
        var revertData = RevertData(data);
        if (revertData is not null || message.Contains("revert", StringComparison.OrdinalIgnoreCase))
        {
            return new RevertException(revertData, $"the contract refused the call: {message}");
        }
        return new ChainRpcException(method, code, message);
    }

    private static string? RevertData(object? data) => data switch
    {
        JsonElement { ValueKind: JsonValueKind.String } e => RevertData(e.GetString()),
        JsonElement { ValueKind: JsonValueKind.Object } e when e.TryGetProperty("data", out var inner) => RevertData(inner),
        string s when s.StartsWith("0x", StringComparison.Ordinal) && s.Length >= 10 => s,
        JValue { Type: JTokenType.String } v => RevertData((string?)v),
        JObject o when o["data"] is { } inner => RevertData(inner),
        _ => null,
    };

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
