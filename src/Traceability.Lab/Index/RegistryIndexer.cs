using System.Diagnostics;
using System.Globalization;
using Newtonsoft.Json.Linq;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;

namespace Traceability.Lab.Index;

/// <summary>How the indexer reads.</summary>
/// <param name="FromBlock">The first block of a new index (the deployment block when known).</param>
/// <param name="RangeBlocks">Blocks per eth_getLogs range (halved when a node refuses a range as too large).</param>
/// <param name="RangesPerRound">eth_getLogs ranges sent in one JSON-RPC batch; a round's events are written in one transaction.</param>
public sealed record IndexOptions(ulong FromBlock, ulong RangeBlocks = 5_000, int RangesPerRound = 8);

/// <summary>A reorganisation the indexer found and undid.</summary>
/// <param name="IndexedTo">The last block the index held.</param>
/// <param name="Ancestor">The newest block both chains share (null: none of the index's blocks is on the chain any more).</param>
/// <param name="RowsDeleted">Rows deleted by the rollback.</param>
public sealed record Reorganisation(ulong IndexedTo, ulong? Ancestor, long RowsDeleted);

/// <summary>What one run of the indexer did.</summary>
/// <param name="ChainId">The chain's id.</param>
/// <param name="Registry">The registry's address.</param>
/// <param name="FirstBlock">The first block read this run (null when there was nothing new).</param>
/// <param name="LastBlock">The last block read (the head when the run began).</param>
/// <param name="BlocksRead">Blocks covered this run.</param>
/// <param name="Events">Events indexed this run, by event name.</param>
/// <param name="Rounds">Rounds (one JSON-RPC batch of ranges, one transaction each).</param>
/// <param name="RoundTrips">JSON-RPC round trips this run.</param>
/// <param name="Reorganisation">The reorganisation undone before reading, if any.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="CpuSeconds">Process CPU time.</param>
public sealed record IndexRun(ulong ChainId, string Registry, ulong? FirstBlock, ulong LastBlock, ulong BlocksRead,
    IReadOnlyDictionary<string, int> Events, int Rounds, long RoundTrips, Reorganisation? Reorganisation, double Seconds, double CpuSeconds);

/// <summary>The chain moved under the indexer while it read (a log's block hash is not the block's): run again.</summary>
public sealed class ChainMovedException(string message) : Exception(message);

/// <summary>The node answered eth_getLogs with a log the request did not ask for (another address, a block outside the range, a removed log): nothing of the round is written.</summary>
public sealed class NodeAnswerException(string message) : Exception(message);

/// <summary>
/// Reads the registry's events into an <see cref="IndexStore"/>: from where the last run stopped to
/// the head, in block ranges (several eth_getLogs in one JSON-RPC batch a round, then the headers of
/// the blocks that logged, in batches of 500), one transaction a round. Before reading, the block the
/// index stopped at is checked against the chain; on a mismatch the index walks its stored blocks
/// back to the newest the chain still has and deletes everything above it.
/// </summary>
/// <param name="rpc">The node.</param>
/// <param name="registry">The registry's address.</param>
public sealed class RegistryIndexer(ChainRpc rpc, string registry)
{
    private const int HeadersPerBatch = 500;

    /// <summary>Told after each round: blocks done of blocks to read.</summary>
    public IProgress<WorkProgress>? Work { get; init; }

    /// <summary>Brings <paramref name="store"/> up to the chain's head.</summary>
    /// <exception cref="IndexFileException">The index belongs to another chain or registry, or started at another block.</exception>
    /// <exception cref="ChainMovedException">The chain reorganised while this run read it.</exception>
    public async Task<IndexRun> RunAsync(IndexStore store, IndexOptions options, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var trips = rpc.RoundTrips;
        var chainId = (ulong)await rpc.ChainIdAsync().ConfigureAwait(false);
        var address = registry.ToLowerInvariant();
        var fromBlock = BindIdentity(store, chainId, address, options.FromBlock);

        var reorganisation = await UndoReorganisationAsync(store, ct).ConfigureAwait(false);
        var head = (ulong)await rpc.BlockNumberAsync().ConfigureAwait(false);
        var start = store.LastIndexed is { } last ? last.Number + 1 : fromBlock;
        var events = new Dictionary<string, int>(StringComparer.Ordinal);
        var rounds = 0;
        var range = Math.Max(1, options.RangeBlocks);
        var next = start;
        while (next <= head)
        {
            ct.ThrowIfCancellationRequested();
            var ranges = new List<(ulong From, ulong To)>();
            for (var b = next; b <= head && ranges.Count < Math.Max(1, options.RangesPerRound); b += range) ranges.Add((b, Math.Min(head, b + range - 1)));
            var answers = await rpc.BatchAsync([.. ranges.Select(r => LogsCall(r.From, r.To))], ct).ConfigureAwait(false);
            var refused = answers.Select((a, i) => (a.Error, i)).FirstOrDefault(x => x.Error is not null);
            if (refused.Error is not null)
            {
                if (range == 1 || refused.Error is not ChainRpcException) throw refused.Error;
                range = Math.Max(1, range / 2); // a node limits the blocks or results of a range: read smaller ones
                continue;
            }
            var logs = answers.SelectMany(a => a.Result as JArray ?? []).OfType<JObject>().ToList();
            var to = ranges[^1].To;
            foreach (var log in logs) RequireAsked(log, ranges[0].From, to);
            logs = WithoutRepeats(logs);
            var headers = await HeadersAsync(logs.Select(l => Quantity(l["blockNumber"])).Append(to), ct).ConfigureAwait(false);
            foreach (var log in logs)
            {
                var n = Quantity(log["blockNumber"]);
                if (!string.Equals((string?)log["blockHash"], headers[n].Hash, StringComparison.OrdinalIgnoreCase))
                {
                    throw new ChainMovedException($"block {n} changed while it was read (a reorganisation): run kp index again");
                }
            }
            using (var writer = store.BeginRound())
            {
                foreach (var h in headers.Values) writer.Block(h);
                LogDecoder.Write(writer, new JArray(logs), n => headers[n].Time, events);
                writer.Commit(to);
            }
            rounds++;
            Work?.Report(new WorkProgress("blocks", (long)(to - start + 1), (long)(head - start + 1)));
            next = to + 1;
        }
        return new IndexRun(chainId, address, start <= head ? start : null, Math.Max(head, store.LastIndexed?.Number ?? 0), start <= head ? head - start + 1 : 0, events,
            rounds, rpc.RoundTrips - trips, reorganisation, clock.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    // the index is of one chain and one registry, read from one first block: a mismatch is never mixed in
    private static ulong BindIdentity(IndexStore store, ulong chainId, string address, ulong fromBlock)
    {
        var (storedChain, storedRegistry, storedFrom) = (store.Meta("chainId"), store.Meta("registry"), store.Meta("fromBlock"));
        if (storedChain is null)
        {
            store.SetMeta("chainId", chainId.ToString(CultureInfo.InvariantCulture));
            store.SetMeta("registry", address);
            store.SetMeta("fromBlock", fromBlock.ToString(CultureInfo.InvariantCulture));
            return fromBlock;
        }
        if (storedChain != chainId.ToString(CultureInfo.InvariantCulture) || storedRegistry != address)
        {
            throw new IndexFileException($"{store.Path} indexes registry {storedRegistry} on chain {storedChain}, not {address} on chain {chainId}: give another --db");
        }
        return ulong.TryParse(storedFrom ?? "0", NumberStyles.None, CultureInfo.InvariantCulture, out var from) ? from : throw store.Damaged("its first block is not a block number");
    }

    /// <summary>Checks the last indexed block against the chain and, when it differs, rolls back to the newest block both share.</summary>
    private async Task<Reorganisation?> UndoReorganisationAsync(IndexStore store, CancellationToken ct)
    {
        if (store.LastIndexed is not { } last) return null;
        var tip = await HeadersAsync([last.Number], ct, allowMissing: true).ConfigureAwait(false);
        if (tip.TryGetValue(last.Number, out var now) && string.Equals(now.Hash, last.Hash, StringComparison.OrdinalIgnoreCase)) return null;
        ulong? ancestor = null;
        var below = last.Number;
        while (ancestor is null)
        {
            var stored = store.BlocksDown(below, HeadersPerBatch);
            if (stored.Count == 0) break;
            var chain = await HeadersAsync(stored.Select(s => s.Number), ct, allowMissing: true).ConfigureAwait(false);
            ancestor = stored.FirstOrDefault(s => chain.TryGetValue(s.Number, out var c) && string.Equals(c.Hash, s.Hash, StringComparison.OrdinalIgnoreCase))?.Number;
            if (stored[^1].Number == 0) break;
            below = stored[^1].Number - 1;
        }
        var deleted = store.RollBack(ancestor);
        return new Reorganisation(last.Number, ancestor, deleted);
    }

    // a node (or a proxy) answering with logs of another contract or block would put rows in the index that the registry
    // never emitted, or rows above the last block read, which the next run would collide with
    private void RequireAsked(JObject log, ulong from, ulong to)
    {
        var n = Quantity(log["blockNumber"]);
        var address = (string?)log["address"];
        if (!string.Equals(address, registry, StringComparison.OrdinalIgnoreCase))
        {
            throw new NodeAnswerException($"the node answered eth_getLogs for registry {registry} with a log of {address ?? "no address"} (block {n}): nothing was written; use another node");
        }
        if (n < from || n > to) throw new NodeAnswerException($"the node answered eth_getLogs for blocks {from} to {to} with a log of block {n}: nothing was written; use another node");
        if (log["removed"] is { Type: JTokenType.Boolean } removed && (bool)removed)
        {
            throw new NodeAnswerException($"the node answered eth_getLogs with a removed log (block {n}, a reorganisation): nothing was written; run kp index again");
        }
    }

    // a node that repeats a log says nothing new: the exact repeat is dropped; two different logs at one block and log index are the node's error
    private static List<JObject> WithoutRepeats(List<JObject> logs)
    {
        var seen = new Dictionary<(ulong Block, ulong Log), JObject>();
        var kept = new List<JObject>(logs.Count);
        foreach (var log in logs)
        {
            (ulong Block, ulong Log) key = (Quantity(log["blockNumber"]), (ulong)ChainRpc.Quantity(log["logIndex"] ?? throw new FormatException("eth_getLogs: a log without its log index")));
            if (seen.TryAdd(key, log))
            {
                kept.Add(log);
            }
            else if (!JToken.DeepEquals(seen[key], log))
            {
                throw new NodeAnswerException($"the node answered eth_getLogs with two different logs at block {key.Block}, log index {key.Log}: nothing was written; use another node");
            }
        }
        return kept;
    }

    private RpcCall LogsCall(ulong from, ulong to) =>
        new("eth_getLogs", new JObject { ["address"] = registry, ["fromBlock"] = ChainRpc.Hex(from), ["toBlock"] = ChainRpc.Hex(to) });

    /// <summary>The headers of <paramref name="blocks"/> (number, hash, time), in batches.</summary>
    private async Task<Dictionary<ulong, IndexedBlock>> HeadersAsync(IEnumerable<ulong> blocks, CancellationToken ct, bool allowMissing = false)
    {
        var result = new Dictionary<ulong, IndexedBlock>();
        foreach (var chunk in blocks.Distinct().Order().Chunk(HeadersPerBatch))
        {
            var answers = await rpc.BatchAsync([.. chunk.Select(b => new RpcCall("eth_getBlockByNumber", ChainRpc.Hex(b), false))], ct).ConfigureAwait(false);
            for (var i = 0; i < chunk.Length; i++)
            {
                if (answers[i].Error is { } error) throw error;
                if (answers[i].Result is not JObject block)
                {
                    if (allowMissing) continue;
                    throw new ChainMovedException($"the node no longer knows block {chunk[i]} (a reorganisation): run kp index again");
                }
                var header = BlockHeader.From(block);
                result[chunk[i]] = new IndexedBlock(header.Number, header.Hash.ToLowerInvariant(), header.Timestamp);
            }
        }
        return result;
    }

    private static ulong Quantity(JToken? token) => (ulong)ChainRpc.Quantity(token ?? throw new FormatException("eth_getLogs: a log without its block number"));
}
