using System.Globalization;
using System.Text.Json;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Core.Primitives;

namespace Traceability.Verifier;

/// <summary>
/// Every registry event a verification reads, from one block to another, read once and held in memory: the
/// certificates issued (by number and by the parcels they carried), the parcels registered and derived, the
/// transformations' outputs and the certificates' flags. A verification reads these events with eth_getLogs over the
/// whole chain, and a dev node answers each such query by going through every log it holds (a block's bloom filter,
/// filled by a batch of 500 parcels, rules nothing out): over a year of trade that is about a million logs a query,
/// several queries a certificate. Many verifications against an unchanging chain (a researcher's replay, an
/// auditor's batch) read the events once here, in block ranges, and look them up. A verifier uses the index only for
/// a verification pinned to the index's own block and read from the index's first block, so it reads exactly what it
/// would have read from the node; otherwise it reads the node as it would without it. The big kinds (registrations,
/// derivations) are held compactly and rebuilt as events when looked up: about 100 bytes a parcel.
/// </summary>
public sealed class VerificationIndex
{
    private readonly Dictionary<Hash32, object> _issuedByParcel = []; // a parcel's one certificate, or a list of them (most parcels travel once)
    private readonly Dictionary<Hash32, List<RegistryEventLog<CertificateIssuedEvent>>> _issuedByNumber = [];
    private readonly Dictionary<Hash32, Registration> _registered = [];
    private readonly Dictionary<Hash32, Derivation> _derived = [];
    private readonly Dictionary<Hash32, List<RegistryEventLog<ParcelsTransformedEvent>>> _transformed = [];
    private readonly List<RegistryEventLog<RecordFlaggedEvent>> _certificateFlags = [];
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly SemaphoreSlim _following = new(1, 1);
    private bool _repeated;
    private bool _followFailed;
    private ulong _gasPerRead = GasPerRead;

    private VerificationIndex(BlockHeader block, ulong fromBlock)
    {
        Block = block;
        FromBlock = fromBlock;
    }

    /// <summary>The last block it holds (the chain's head when it was read, or when it last followed the chain).</summary>
    public BlockHeader Block { get; private set; }

    /// <summary>The first block it holds (a verification reading from another block does not use it).</summary>
    public ulong FromBlock { get; }

    /// <summary>Certificates indexed.</summary>
    public int Count { get; private set; }

    /// <summary>Parcels indexed (registered or derived).</summary>
    public int Parcels => _registered.Count + _derived.Count;

    /// <summary>
    /// Gas the blocks of one read of events used together, at most (a single block that used more is read alone): the
    /// events a read brings back follow the gas their blocks used (a registered parcel costs about 25,000), and they are
    /// held decoded until the read is added to the index. 200 M gas is about 8,000 parcels. The node's answers are
    /// streamed (<see cref="RegistryReader.StreamLogsAsync{TEvent}"/>): a block of an interval-mined dev node can hold
    /// 40,000 parcels, about 30 MB of JSON, and such answers held whole (and the buffers the array pool kept after them)
    /// were most of a year's replay's memory.
    /// </summary>
    public const ulong GasPerRead = 200_000_000;

    /// <summary>
    /// Reads every event a verification reads from <paramref name="fromBlock"/> to the chain's head, at most <paramref name="blocksPerRead"/>
    /// blocks per batch (each of its five eth_getLogs goes through those blocks only; fewer where blocks are full, see <see cref="GasPerRead"/>).
    /// </summary>
    /// <param name="reader">The registry's reader.</param>
    /// <param name="fromBlock">The first block (the verifications' first block).</param>
    /// <param name="blocksPerRead">Blocks one read spans at most.</param>
    /// <param name="gasPerRead">Gas the blocks of one read used together, at most (<see cref="GasPerRead"/> unless given).</param>
    /// <param name="ct">Cancels the reads.</param>
    public static async Task<VerificationIndex> ReadAsync(RegistryReader reader, ulong fromBlock, int blocksPerRead = 50, ulong gasPerRead = GasPerRead,
        CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blocksPerRead, 1);
        var head = reader.Batch();
        var header = head.Header();
        await head.SendAsync(ct).ConfigureAwait(false);
        var index = new VerificationIndex(header.Value, fromBlock) { _gasPerRead = gasPerRead };
        await index.ReadRangeAsync(reader, fromBlock, index.Block.Number, blocksPerRead, ct).ConfigureAwait(false);
        return index;
    }

    /// <summary>
    /// Makes the index hold the blocks up to <paramref name="point"/> (a chain that keeps mining, such as one with interval
    /// mining): reads the events of the blocks after its last one. False (nothing read) when the block it holds last is no
    /// longer on the chain (a reorganisation), or once a follow failed part way (the events of some of its blocks are held, and
    /// another follow would add them again): the index then covers nothing newer.
    /// </summary>
    public async Task<bool> FollowAsync(RegistryReader reader, BlockHeader point, CancellationToken ct = default)
    {
        if (point.Number <= Block.Number) return true;
        await _following.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (point.Number <= Block.Number) return true;
            if (_followFailed) return false;
            var check = reader.Batch(ChainRpc.Hex(Block.Number));
            var last = check.Header();
            await check.SendAsync(ct).ConfigureAwait(false);
            if (!string.Equals(last.Value.Hash, Block.Hash, StringComparison.OrdinalIgnoreCase)) return false;
            try
            {
                await ReadRangeAsync(reader, Block.Number + 1, point.Number, 50, ct).ConfigureAwait(false);
            }
            catch
            {
                _followFailed = true;
                throw;
            }
            _lock.EnterWriteLock();
            try
            {
                Block = point;
            }
            finally
            {
                _lock.ExitWriteLock();
            }
            return true;
        }
        finally
        {
            _following.Release();
        }
    }

    private async Task ReadRangeAsync(RegistryReader reader, ulong first, ulong lastBlock, int blocksPerRead, CancellationToken ct)
    {
        var flagKind = RegistryHistory.KindTopic(FlaggableKind.Certificate);
        for (var window = first; window <= lastBlock; window += (ulong)blocksPerRead)
        {
            // the gas each block of the next window used (one batch of headers), then reads of blocks that used GasPerRead together
            var last = Math.Min(lastBlock, window + (ulong)blocksPerRead - 1);
            var gasUsed = await GasUsedAsync(reader.Rpc, window, last, ct).ConfigureAwait(false);
            for (var from = window; from <= last;)
            {
                var to = from;
                var gas = gasUsed[(int)(from - window)];
                // gas + next <= bound, without the sum's overflow (a node may tell any gasUsed)
                while (to < last && gas <= _gasPerRead && gasUsed[(int)(to + 1 - window)] <= _gasPerRead - gas) gas += gasUsed[(int)(++to - window)];
                await ReadLogsAsync(reader, from, to, flagKind, ct).ConfigureAwait(false);
                from = to + 1;
            }
        }
    }

    private async Task ReadLogsAsync(RegistryReader reader, ulong from, ulong to, Hash32 flagKind, CancellationToken ct)
    {
        // one read a kind, each streamed: a full block's answer is never held whole, only its decoded events
        var issued = await reader.StreamLogsAsync<CertificateIssuedEvent>(from, to, ct: ct).ConfigureAwait(false);
        var registered = await reader.StreamLogsAsync<ParcelRegisteredEvent>(from, to, ct: ct).ConfigureAwait(false);
        var derived = await reader.StreamLogsAsync<ParcelDerivedEvent>(from, to, ct: ct).ConfigureAwait(false);
        var transformed = await reader.StreamLogsAsync<ParcelsTransformedEvent>(from, to, ct: ct).ConfigureAwait(false);
        var flags = await reader.StreamLogsAsync<RecordFlaggedEvent>(from, to, [flagKind], ct).ConfigureAwait(false);
        _lock.EnterWriteLock();
        try
        {
            Add(issued, registered, derived, transformed, flags);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>The gas each block from <paramref name="from"/> to <paramref name="to"/> used (a block the node does not have, or whose gasUsed is not a 0x quantity: zero).</summary>
    private static async Task<ulong[]> GasUsedAsync(ChainRpc rpc, ulong from, ulong to, CancellationToken ct)
    {
        var calls = new List<RpcCall>();
        for (var n = from; n <= to; n++) calls.Add(new RpcCall("eth_getBlockByNumber", ChainRpc.Hex(n), false));
        using var answer = await rpc.ReadBatchAsync(calls, ct).ConfigureAwait(false);
        var gas = new ulong[calls.Count];
        for (var i = 0; i < gas.Length; i++)
        {
            if (answer.Error(i) is { } error) throw error;
            var block = answer.Result(i);
            gas[i] = block.ValueKind == JsonValueKind.Object && block.TryGetProperty("gasUsed", out var used) && used.ValueKind == JsonValueKind.String
                && used.GetString() is { } text && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var g) ? g : 0;
        }
        return gas;
    }

    private void Add(IReadOnlyList<RegistryEventLog<CertificateIssuedEvent>> issued, IReadOnlyList<RegistryEventLog<ParcelRegisteredEvent>> registered,
        IReadOnlyList<RegistryEventLog<ParcelDerivedEvent>> derived, IReadOnlyList<RegistryEventLog<ParcelsTransformedEvent>> transformed,
        IReadOnlyList<RegistryEventLog<RecordFlaggedEvent>> flags)
    {
        foreach (var log in issued)
        {
            Count++;
            Append(_issuedByNumber, Hash32.FromBytes(log.Event.NumberHash), log);
            foreach (var parcel in log.Event.Parcels) Carried(Hash32.FromBytes(parcel), log);
        }
        foreach (var log in registered)
        {
            var entry = new Registration(Code(log.Event.Participant), Intern(log.Event.Registrant), Where(log.BlockNumber, log.TransactionHash, log.LogIndex));
            _repeated |= !_registered.TryAdd(Hash32.FromBytes(log.Event.Parcel), entry);
        }
        var inputs = new Dictionary<Hash32, byte[][]>();
        foreach (var log in derived)
        {
            var transformation = Hash32.FromBytes(log.Event.Transformation);
            if (!inputs.TryGetValue(transformation, out var shared)) inputs[transformation] = shared = [.. log.Event.Inputs];
            var entry = new Derivation(transformation, Code(log.Event.Participant), shared, Where(log.BlockNumber, log.TransactionHash, log.LogIndex));
            _repeated |= !_derived.TryAdd(Hash32.FromBytes(log.Event.Parcel), entry);
        }
        foreach (var log in transformed) Append(_transformed, Hash32.FromBytes(log.Event.Transformation), log);
        _certificateFlags.AddRange(flags);
        if (_repeated) throw new InvalidOperationException("a parcel was registered or derived twice: this registry is not one the index knows (each parcel is recorded once)");
    }

    /// <summary>
    /// Whether the index holds the events a verification from <paramref name="fromBlock"/> pinned to <paramref name="block"/> reads:
    /// from the same first block, up to a block it holds (its last one: the same hash; an earlier one: its events up to it).
    /// </summary>
    public bool Covers(ulong fromBlock, ulong block, string blockHash) =>
        fromBlock == FromBlock && (block < Block.Number || (block == Block.Number && string.Equals(blockHash, Block.Hash, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The certificates that carried <paramref name="parcel"/> up to <paramref name="upTo"/>, in the order they were issued.</summary>
    public IReadOnlyList<RegistryEventLog<CertificateIssuedEvent>> Carrying(Hash32 parcel, ulong upTo = ulong.MaxValue) =>
        Read(() => CarryingNow(parcel, upTo));

    private List<RegistryEventLog<CertificateIssuedEvent>> CarryingNow(Hash32 parcel, ulong upTo)
    {
        if (!_issuedByParcel.TryGetValue(parcel, out var carried)) return [];
        if (carried is List<RegistryEventLog<CertificateIssuedEvent>> list) return UpTo(list, upTo);
        var one = (RegistryEventLog<CertificateIssuedEvent>)carried;
        return one.BlockNumber <= upTo ? [one] : [];
    }

    /// <summary>The CertificateIssued events of a certificate number (by any exporter) up to <paramref name="upTo"/>, as eth_getLogs by its number hash returns them.</summary>
    public IReadOnlyList<RegistryEventLog<CertificateIssuedEvent>> Issued(Hash32 numberHash, ulong upTo = ulong.MaxValue) =>
        Read(() => _issuedByNumber.TryGetValue(numberHash, out var list) ? UpTo(list, upTo) : []);

    /// <summary>The ParcelRegistered events of <paramref name="parcels"/> up to <paramref name="upTo"/>, as eth_getLogs by parcel returns them (in chain order).</summary>
    public IReadOnlyList<RegistryEventLog<ParcelRegisteredEvent>> Registered(IEnumerable<Hash32> parcels, ulong upTo = ulong.MaxValue) =>
        Read(() => InChainOrder(parcels.Distinct().Where(p => _registered.TryGetValue(p, out var r) && r.At.Block <= upTo).Select(p =>
        {
            var r = _registered[p];
            return new RegistryEventLog<ParcelRegisteredEvent>(new() { Parcel = p.ToArray(), Participant = Bytes(r.Participant), Registrant = r.Registrant },
                r.At.Block, r.At.Transaction, r.At.LogIndex);
        })));

    /// <summary>The ParcelDerived events of <paramref name="parcels"/> up to <paramref name="upTo"/>, as eth_getLogs by parcel returns them (in chain order).</summary>
    public IReadOnlyList<RegistryEventLog<ParcelDerivedEvent>> Derived(IEnumerable<Hash32> parcels, ulong upTo = ulong.MaxValue) =>
        Read(() => InChainOrder(parcels.Distinct().Where(p => _derived.TryGetValue(p, out var d) && d.At.Block <= upTo).Select(p =>
        {
            var d = _derived[p];
            return new RegistryEventLog<ParcelDerivedEvent>(new()
            {
                Parcel = p.ToArray(),
                Transformation = d.Transformation.ToArray(),
                Participant = Bytes(d.Participant),
                Inputs = [.. d.Inputs], // the input hashes are shared, as read: nothing writes into an event
            }, d.At.Block, d.At.Transaction, d.At.LogIndex);
        })));

    /// <summary>The ParcelsTransformed events of <paramref name="transformations"/> up to <paramref name="upTo"/>, as eth_getLogs by transformation returns them (in chain order).</summary>
    public IReadOnlyList<RegistryEventLog<ParcelsTransformedEvent>> Transformed(IEnumerable<Hash32> transformations, ulong upTo = ulong.MaxValue) =>
        Read(() => InChainOrder(transformations.Distinct().Where(_transformed.ContainsKey).SelectMany(t => UpTo(_transformed[t], upTo))));

    /// <summary>Every RecordFlagged event of a certificate up to <paramref name="upTo"/>, in chain order.</summary>
    public IReadOnlyList<RegistryEventLog<RecordFlaggedEvent>> CertificateFlags(ulong upTo = ulong.MaxValue) => Read(() => UpTo(_certificateFlags, upTo));

    private T Read<T>(Func<T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private static List<RegistryEventLog<T>> UpTo<T>(List<RegistryEventLog<T>> logs, ulong upTo) where T : IEventDTO, new() =>
        logs.Count > 0 && logs[^1].BlockNumber <= upTo ? [.. logs] : [.. logs.Where(l => l.BlockNumber <= upTo)];

    private static List<RegistryEventLog<T>> InChainOrder<T>(IEnumerable<RegistryEventLog<T>> logs) where T : IEventDTO, new() =>
        [.. logs.OrderBy(l => l.BlockNumber).ThenBy(l => l.LogIndex)];

    private void Carried(Hash32 parcel, RegistryEventLog<CertificateIssuedEvent> log)
    {
        if (!_issuedByParcel.TryGetValue(parcel, out var carried)) _issuedByParcel[parcel] = log;
        else if (carried is List<RegistryEventLog<CertificateIssuedEvent>> list) list.Add(log);
        else _issuedByParcel[parcel] = new List<RegistryEventLog<CertificateIssuedEvent>> { (RegistryEventLog<CertificateIssuedEvent>)carried, log };
    }

    private static void Append<T>(Dictionary<Hash32, List<T>> map, Hash32 key, T item)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(item);
    }

    private string Intern(string s) => _strings.TryGetValue(s, out var known) ? known : _strings[s] = s;

    private LogPlace Where(ulong block, string transaction, ulong logIndex) => new(block, Intern(transaction), logIndex);

    private static ushort Code(byte[] bytes2) => (ushort)((bytes2[0] << 8) | bytes2[1]);

    private static byte[] Bytes(ushort code) => [(byte)(code >> 8), (byte)code];

    /// <summary>Where a log is: its block, transaction and index in the block.</summary>
    private readonly record struct LogPlace(ulong Block, string Transaction, ulong LogIndex);

    /// <summary>A ParcelRegistered event without its parcel (the key).</summary>
    private readonly record struct Registration(ushort Participant, string Registrant, LogPlace At);

    /// <summary>A ParcelDerived event without its parcel (the key); the inputs are shared by the transformation's outputs.</summary>
    private readonly record struct Derivation(Hash32 Transformation, ushort Participant, byte[][] Inputs, LogPlace At);
}
