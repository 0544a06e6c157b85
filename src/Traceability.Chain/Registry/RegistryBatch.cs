using System.Globalization;
using System.Text.Json;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Newtonsoft.Json.Linq;
using Traceability.Chain.Rpc;
using Traceability.Core.Primitives;

namespace Traceability.Chain.Registry;

/// <summary>
/// Several typed reads of the registry sent as one JSON-RPC batch (one round trip), all at one
/// block. Add reads, send, then read each result's <see cref="BatchResult{T}.Value"/>: it is the
/// decoded value, or throws the error that read would have thrown alone. The registry's views go to the
/// node as few eth_calls of its <c>multicall</c> (a node spends about as much on each eth_call as on the
/// reads inside it: measured on Hardhat, 0.3-0.4 ms an isAuthority alone, 0.1-0.15 ms in a multicall).
/// </summary>
/// <param name="reader">The registry's reader.</param>
/// <param name="block">The block every read is made at ("latest", or a hex block number).</param>
public sealed class RegistryBatch(RegistryReader reader, string block = "latest")
{
    /// <summary>
    /// The most a multicall of this batch carries, in reads (a view counts 1, a parcelsOf its parcels too): a few hundred
    /// storage reads, far under any node's gas cap for an eth_call (Hardhat's is the block gas limit, 30 M by default).
    /// </summary>
    public const int MulticallWeight = 256;

    private readonly List<RpcCall> _calls = [];
    private readonly List<Action<JsonElement, Exception?>> _sinks = [];
    private readonly List<View> _views = [];

    /// <summary>The block every read of this batch is made at.</summary>
    public string Block => block;

    /// <summary>How many reads the batch holds.</summary>
    public int Count => _calls.Count + _views.Count;

    /// <summary>A view call, decoded into <typeparamref name="TOut"/>.</summary>
    public BatchResult<TOut> Call<TFunction, TOut>(TFunction function)
        where TFunction : FunctionMessage, new() where TOut : IFunctionOutputDTO, new() =>
        AddView(RegistryReader.CallData(function), 1, function.GetType().Name, RegistryDecoders.Output<TOut>);

    /// <summary>A view call, decoded into <typeparamref name="TOut"/> and mapped by <paramref name="map"/>.</summary>
    public BatchResult<T> Call<TFunction, TOut, T>(TFunction function, Func<TOut, T> map)
        where TFunction : FunctionMessage, new() where TOut : IFunctionOutputDTO, new() =>
        AddView(RegistryReader.CallData(function), 1, function.GetType().Name, hex => map(RegistryDecoders.Output<TOut>(hex)));

    /// <summary>The states of <paramref name="hashes"/> (parcelsOf, decoded directly).</summary>
    public BatchResult<IReadOnlyList<ParcelState>> Parcels(IReadOnlyList<Hash32> hashes) =>
        AddView(RegistryReader.CallData(new ParcelsOfFunction { Hashes = AbiValues.Bytes32(hashes) }), 1 + hashes.Count, nameof(ParcelsOfFunction),
            hex => RegistryReader.DecodeParcels(hashes, hex));

    /// <summary>Events of type <typeparamref name="TEvent"/> from <paramref name="fromBlock"/> up to this batch's block, by their first (and second) indexed arguments.</summary>
    public BatchResult<IReadOnlyList<RegistryEventLog<TEvent>>> Logs<TEvent>(IEnumerable<Hash32>? firstTopics, ulong fromBlock,
        IEnumerable<Hash32>? secondTopics = null, IEnumerable<Hash32>? thirdTopics = null)
        where TEvent : IEventDTO, new() =>
        Add(reader.LogsCall<TEvent>(firstTopics, fromBlock, secondTopics, block, thirdTopics), RegistryDecoders.Logs<TEvent>);

    /// <summary>The header of this batch's block (for "latest": the head when the batch is answered).</summary>
    public BatchResult<BlockHeader> Header() =>
        Add(new RpcCall("eth_getBlockByNumber", block, false), BlockHeader.From);

    /// <summary>
    /// Sends every read in one round trip and decodes the results. The views go packed in multicalls of up to
    /// <see cref="MulticallWeight"/>; a multicall one of whose views reverted is sent again as single calls, so that each view
    /// gets its own answer (a multicall is all or nothing).
    /// </summary>
    public async Task SendAsync(CancellationToken ct = default)
    {
        var packs = Pack(_views);
        var calls = new List<RpcCall>(_calls.Count + packs.Count);
        calls.AddRange(_calls);
        calls.AddRange(packs.Select(p => p.Count == 1 ? ChainRpc.Call(reader.Address, p[0].Data, block) : Multicall(p)));
        var again = new List<View>();
        using (var answer = await reader.Rpc.ReadBatchAsync(calls, ct).ConfigureAwait(false))
        {
            for (var i = 0; i < _calls.Count; i++) _sinks[i](answer.Result(i), answer.Error(i));
            for (var i = 0; i < packs.Count; i++)
            {
                var (result, error) = (answer.Result(_calls.Count + i), answer.Error(_calls.Count + i));
                if (packs[i].Count == 1) Reply(packs[i][0], result, error);
                else if (error is RevertException) again.AddRange(packs[i]);
                else Unpack(packs[i], result, error);
            }
        }
        if (again.Count == 0) return;
        using var singly = await reader.Rpc.ReadBatchAsync([.. again.Select(v => ChainRpc.Call(reader.Address, v.Data, block))], ct).ConfigureAwait(false);
        for (var i = 0; i < again.Count; i++) Reply(again[i], singly.Result(i), singly.Error(i));
    }

    /// <summary>Hands <paramref name="view"/> the answer to its own eth_call: a result that is no hex string fails this view alone.</summary>
    private static void Reply(View view, JsonElement result, Exception? error)
    {
        if (error is not null)
        {
            view.Answer(null, error);
            return;
        }
        string text;
        try
        {
            text = Text(result, "eth_call");
        }
        catch (FormatException e)
        {
            view.Answer(null, new FormatException($"eth_call: the node's answer could not be decoded ({e.Message})", e));
            return;
        }
        view.Answer(text, null);
    }

    /// <summary>The views in packs of at most <see cref="MulticallWeight"/> (a heavier view goes alone).</summary>
    private static List<List<View>> Pack(List<View> views)
    {
        var packs = new List<List<View>>();
        var weight = 0;
        foreach (var v in views)
        {
            if (packs.Count == 0 || weight + v.Weight > MulticallWeight)
            {
                packs.Add([]);
                weight = 0;
            }
            packs[^1].Add(v);
            weight += v.Weight;
        }
        return packs;
    }

    private RpcCall Multicall(List<View> pack) =>
        ChainRpc.Call(reader.Address, RegistryReader.CallData(new MulticallFunction { Data = [.. pack.Select(v => Convert.FromHexString(v.Data.AsSpan(2)))] }), block);

    /// <summary>Hands each view of <paramref name="pack"/> its part of the multicall's bytes[] answer (or the error of the whole).</summary>
    private static void Unpack(List<View> pack, JsonElement result, Exception? error)
    {
        if (error is null)
        {
            try
            {
                var outputs = MulticallOutput.Decode(Text(result, "eth_call"), pack.Count);
                for (var i = 0; i < pack.Count; i++) pack[i].Answer(outputs[i], null);
                return;
            }
            catch (FormatException e)
            {
                error = new FormatException($"multicall: the node's answer could not be decoded ({e.Message})", e);
            }
        }
        foreach (var v in pack) v.Answer(null, error);
    }

    private static string Text(JsonElement e, string method) => e.ValueKind == JsonValueKind.String
        ? e.GetString()!
        : throw new FormatException($"{method}: expected a 0x hex string, got {(e.ValueKind == JsonValueKind.Undefined ? "nothing" : e.ValueKind.ToString().ToLowerInvariant())}");

    private BatchResult<T> AddView<T>(string data, int weight, string name, Func<string, T> decode)
    {
        var result = new BatchResult<T>("eth_call");
        _views.Add(new View(data, weight, Sink(result, $"eth_call {name}", decode)));
        return result;
    }

    private BatchResult<T> Add<T>(RpcCall call, Func<JsonElement, T> decode)
    {
        var result = new BatchResult<T>(call.Method);
        _calls.Add(call);
        _sinks.Add(Sink(result, call.Method, decode));
        return result;
    }

    /// <summary>Where an answer goes: decoded into <paramref name="result"/>, or its error (a decoding failure named by <paramref name="what"/>).</summary>
    private static Action<TIn?, Exception?> Sink<TIn, T>(BatchResult<T> result, string what, Func<TIn, T> decode) => (answer, error) =>
    {
        if (error is not null)
        {
            result.Fail(error);
            return;
        }
        try
        {
            result.Set(decode(answer!));
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or ArgumentException or NullReferenceException or InvalidOperationException)
        {
            result.Fail(new FormatException($"{what}: the node's answer could not be decoded ({e.Message})", e));
        }
    };

    /// <summary>A view of the registry: its call data, its weight in storage reads, and where its output (or error) goes.</summary>
    private sealed record View(string Data, int Weight, Action<string?, Exception?> Answer);
}

/// <summary>One read of a <see cref="RegistryBatch"/>: its value once the batch is sent.</summary>
/// <typeparam name="T">The decoded type.</typeparam>
public sealed class BatchResult<T>(string method)
{
    private T? _value;
    private Exception? _error;
    private bool _done;

    /// <summary>The decoded value; throws the read's error, or if the batch was not sent.</summary>
    public T Value => !_done ? throw new InvalidOperationException($"{method}: the batch was not sent") : _error is not null ? throw _error : _value!;

    /// <summary>The read's error, if it failed.</summary>
    public Exception? Error => _error;

    internal void Set(T value) => (_value, _done) = (value, true);

    internal void Fail(Exception error) => (_error, _done) = (error, true);
}

/// <summary>A block's number, hash and time.</summary>
/// <param name="Number">The block number.</param>
/// <param name="Hash">Its hash.</param>
/// <param name="Timestamp">Its time, Unix seconds.</param>
public sealed record BlockHeader(ulong Number, string Hash, ulong Timestamp)
{
    /// <summary>From an eth_getBlockByNumber result.</summary>
    public static BlockHeader From(JsonElement block) => block.ValueKind == JsonValueKind.Object
        ? new(ulong.Parse(block.GetProperty("number").GetString().AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
            block.GetProperty("hash").GetString()!,
            ulong.Parse(block.GetProperty("timestamp").GetString().AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture))
        : throw new FormatException($"no such block (the node answered {block.ValueKind.ToString().ToLowerInvariant()})");

    /// <summary>From an eth_getBlockByNumber result.</summary>
    public static BlockHeader From(JObject block) =>
        new((ulong)ChainRpc.Quantity(block["number"]!), (string)block["hash"]!, (ulong)ChainRpc.Quantity(block["timestamp"]!));

    /// <summary>The block's number as a block tag.</summary>
    public string Tag => ChainRpc.Hex(Number);
}
