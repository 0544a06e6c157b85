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
/// decoded value, or throws the error that read would have thrown alone.
/// </summary>
/// <param name="reader">The registry's reader.</param>
/// <param name="block">The block every read is made at ("latest", or a hex block number).</param>
public sealed class RegistryBatch(RegistryReader reader, string block = "latest")
{
    private readonly List<RpcCall> _calls = [];
    private readonly List<Action<JsonElement, Exception?>> _sinks = [];

    /// <summary>The block every read of this batch is made at.</summary>
    public string Block => block;

    /// <summary>How many reads the batch holds.</summary>
    public int Count => _calls.Count;

    /// <summary>A view call, decoded into <typeparamref name="TOut"/>.</summary>
    public BatchResult<TOut> Call<TFunction, TOut>(TFunction function)
        where TFunction : FunctionMessage, new() where TOut : IFunctionOutputDTO, new() =>
        Add(reader.Call(function, block), t => RegistryDecoders.Output<TOut>(Text(t)));

    /// <summary>A view call, decoded into <typeparamref name="TOut"/> and mapped by <paramref name="map"/>.</summary>
    public BatchResult<T> Call<TFunction, TOut, T>(TFunction function, Func<TOut, T> map)
        where TFunction : FunctionMessage, new() where TOut : IFunctionOutputDTO, new() =>
        Add(reader.Call(function, block), t => map(RegistryDecoders.Output<TOut>(Text(t))));

    /// <summary>The states of <paramref name="hashes"/> (parcelsOf, decoded directly).</summary>
    public BatchResult<IReadOnlyList<ParcelState>> Parcels(IReadOnlyList<Hash32> hashes) =>
        Add(reader.Call(new ParcelsOfFunction { Hashes = AbiValues.Bytes32(hashes) }, block), t => RegistryReader.DecodeParcels(hashes, Text(t)));

    /// <summary>Events of type <typeparamref name="TEvent"/> from <paramref name="fromBlock"/> up to this batch's block, by their first (and second) indexed arguments.</summary>
    public BatchResult<IReadOnlyList<RegistryEventLog<TEvent>>> Logs<TEvent>(IEnumerable<Hash32>? firstTopics, ulong fromBlock,
        IEnumerable<Hash32>? secondTopics = null, IEnumerable<Hash32>? thirdTopics = null)
        where TEvent : IEventDTO, new() =>
        Add(reader.LogsCall<TEvent>(firstTopics, fromBlock, secondTopics, block, thirdTopics), RegistryDecoders.Logs<TEvent>);

    /// <summary>The header of this batch's block (for "latest": the head when the batch is answered).</summary>
    public BatchResult<BlockHeader> Header() =>
        Add(new RpcCall("eth_getBlockByNumber", block, false), BlockHeader.From);

    /// <summary>Sends every read in one round trip and decodes the results.</summary>
    public async Task SendAsync(CancellationToken ct = default)
    {
        using var answer = await reader.Rpc.ReadBatchAsync(_calls, ct).ConfigureAwait(false);
        for (var i = 0; i < answer.Count; i++) _sinks[i](answer.Result(i), answer.Error(i));
    }

    private static string Text(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString()!
        : throw new FormatException($"expected a 0x hex string, got {(e.ValueKind == JsonValueKind.Undefined ? "nothing" : e.ValueKind.ToString().ToLowerInvariant())}");

    private BatchResult<T> Add<T>(RpcCall call, Func<JsonElement, T> decode)
    {
        var result = new BatchResult<T>(call.Method);
        _calls.Add(call);
        _sinks.Add((token, error) =>
        {
            if (error is not null)
            {
                result.Fail(error);
                return;
            }
            try
            {
                result.Set(decode(token));
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or ArgumentException or NullReferenceException or InvalidOperationException)
            {
                result.Fail(new FormatException($"{call.Method}: the node's answer could not be decoded ({e.Message})", e));
            }
        });
        return result;
    }
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
