using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Util;
using Traceability.Chain.Rpc;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;

namespace Traceability.Chain.Registry;

/// <summary>
/// Looks records up by the registry's events (eth_getLogs from the deployment block, filtered by the
/// registry's address and the events' indexed topics): a certificate's life, a participant's
/// governance events, the current authorities and members. Every lookup reads its events and views at
/// one block (the head when it starts), then the times of the blocks it names, in batched round trips.
/// </summary>
/// <param name="reader">The registry's reader.</param>
/// <param name="fromBlock">The first block to search (the deployment block when known).</param>
public sealed class RegistryHistory(RegistryReader reader, ulong fromBlock = 0)
{
    /// <summary>Most block headers asked for in one batch.</summary>
    private const int HeadersPerBatch = 500;

    /// <summary>Every event of the certificate <paramref name="numberHash"/> of <paramref name="exporter"/>, oldest first.</summary>
    public async Task<CertificateHistory> CertificateAsync(ParticipantCode exporter, Hash32 numberHash, CancellationToken ct = default)
    {
        var key = RegistryKeys.Certificate(exporter, numberHash);
        var batch = await PinnedBatchAsync(ct).ConfigureAwait(false);
        Hash32[] number = [numberHash], by = [RegistryKeys.Topic(exporter)];
        var state = batch.Call<CertificateFunction, CertificateOutput, CertificateState>(RegistryReader.CertificateCall(exporter, numberHash),
            o => AbiValues.ToState(numberHash, o.Certificate));
        var issued = batch.Logs<CertificateIssuedEvent>(number, fromBlock, by);
        var confirmed = batch.Logs<ImportConfirmedEvent>(number, fromBlock, by);
        var voided = batch.Logs<CertificateVoidedEvent>(number, fromBlock, by);
        var flagged = batch.Logs<RecordFlaggedEvent>([KindTopic(FlaggableKind.Certificate)], fromBlock, [key]);
        await batch.SendAsync(ct).ConfigureAwait(false);

        var logs = new List<(ulong Block, ulong Index, string Tx, Func<EventMark, CertificateEvent> Make)>();
        foreach (var l in issued.Value)
        {
            logs.Add((l.BlockNumber, l.LogIndex, l.TransactionHash, m => new CertificateEvent(CertificateEventKind.Issued, m)
            {
                Authority = Checksummed(l.Event.Authority),
                Relayer = Checksummed(l.Event.Relayer),
                Importer = AbiValues.Code(l.Event.Importer),
                RecordHash = Hash32.FromBytes(l.Event.CertificateHash),
                ExpiresAt = l.Event.ExpiresAt,
                ParcelCount = l.Event.Parcels.Count,
            }));
        }
        foreach (var l in confirmed.Value)
        {
            logs.Add((l.BlockNumber, l.LogIndex, l.TransactionHash, m => new CertificateEvent(CertificateEventKind.Confirmed, m)
            {
                Authority = Checksummed(l.Event.Authority),
                Importer = AbiValues.Code(l.Event.Importer),
                RecordHash = Hash32.FromBytes(l.Event.ConfirmationHash),
            }));
        }
        foreach (var l in voided.Value)
        {
            logs.Add((l.BlockNumber, l.LogIndex, l.TransactionHash, m => new CertificateEvent(CertificateEventKind.Voided, m) { Authority = Checksummed(l.Event.Authority) }));
        }
        foreach (var l in flagged.Value)
        {
            var flag = (RecordFlag)l.Event.Flag;
            logs.Add((l.BlockNumber, l.LogIndex, l.TransactionHash, m => new CertificateEvent(flag == RecordFlag.None ? CertificateEventKind.Unflagged : CertificateEventKind.Flagged, m)
            {
                Flag = flag,
                Category = (FlagCategory)l.Event.Category,
                EvidenceHash = Hash32.FromBytes(l.Event.EvidenceHash),
            }));
        }
        logs.Sort((a, b) => (a.Block, a.Index).CompareTo((b.Block, b.Index)));
        var times = await BlockTimesAsync(logs.Select(l => l.Block), ct).ConfigureAwait(false);
        var events = logs.Select(l => l.Make(new EventMark(l.Tx, l.Block, times[l.Block], l.Index))).ToList();
        return new CertificateHistory(exporter, numberHash, key, state.Value, events, BlockOf(batch));
    }

    /// <summary>A participant: status, governance events, current authorities and members.</summary>
    public async Task<ParticipantProfile> ParticipantAsync(ParticipantCode code, CancellationToken ct = default)
    {
        var batch = await PinnedBatchAsync(ct).ConfigureAwait(false);
        Hash32[] topic = [RegistryKeys.Topic(code)];
        var status = batch.Call<ParticipantStatusFunction, Uint8Output, ParticipantStatus>(new() { Code = code.ToBytes() }, o => (ParticipantStatus)o.Value);
        var added = batch.Logs<ParticipantAddedEvent>(topic, fromBlock);
        var suspended = batch.Logs<ParticipantSuspendedEvent>(topic, fromBlock);
        var reinstated = batch.Logs<ParticipantReinstatedEvent>(topic, fromBlock);
        var authorities = AuthorityLogs(batch, topic);
        var members = MemberLogs(batch, topic);
        await batch.SendAsync(ct).ConfigureAwait(false);

        var logs = added.Value.Select(l => (Kind: ParticipantEventKind.Added, l.BlockNumber, l.LogIndex, l.TransactionHash))
            .Concat(suspended.Value.Select(l => (Kind: ParticipantEventKind.Suspended, l.BlockNumber, l.LogIndex, l.TransactionHash)))
            .Concat(reinstated.Value.Select(l => (Kind: ParticipantEventKind.Reinstated, l.BlockNumber, l.LogIndex, l.TransactionHash)))
            .OrderBy(l => (l.BlockNumber, l.LogIndex)).ToList();
        var currentAuthorities = Current(authorities.Added.Value, authorities.Removed.Value);
        var currentMembers = Current(members.Added.Value, members.Removed.Value);
        var times = await BlockTimesAsync(logs.Select(l => l.BlockNumber)
            .Concat(currentAuthorities.Select(a => a.BlockNumber)).Concat(currentMembers.Select(m => m.BlockNumber)), ct).ConfigureAwait(false);
        return new ParticipantProfile(code, status.Value,
            [.. logs.Select(l => new ParticipantEvent(l.Kind, new EventMark(l.TransactionHash, l.BlockNumber, times[l.BlockNumber], l.LogIndex)))],
            Entries(currentAuthorities, times), Entries(currentMembers, times), BlockOf(batch));
    }

    /// <summary>The current authorities (added and not removed since) of <paramref name="participant"/>, or of every participant when null, in the order they were added.</summary>
    public async Task<IReadOnlyList<DirectoryEntry>> AuthoritiesAsync(ParticipantCode? participant = null, CancellationToken ct = default)
    {
        var batch = await PinnedBatchAsync(ct).ConfigureAwait(false);
        var (added, removed) = AuthorityLogs(batch, participant is { } p ? [RegistryKeys.Topic(p)] : null);
        await batch.SendAsync(ct).ConfigureAwait(false);
        var current = Current(added.Value, removed.Value);
        return Entries(current, await BlockTimesAsync(current.Select(c => c.BlockNumber), ct).ConfigureAwait(false));
    }

    /// <summary>The current active members (added, or re-activated, and not removed since) of <paramref name="participant"/>, or of every participant when null, in the order they were (last) added.</summary>
    public async Task<IReadOnlyList<DirectoryEntry>> MembersAsync(ParticipantCode? participant = null, CancellationToken ct = default)
    {
        var batch = await PinnedBatchAsync(ct).ConfigureAwait(false);
        var (added, removed) = MemberLogs(batch, participant is { } p ? [RegistryKeys.Topic(p)] : null);
        await batch.SendAsync(ct).ConfigureAwait(false);
        var current = Current(added.Value, removed.Value);
        return Entries(current, await BlockTimesAsync(current.Select(c => c.BlockNumber), ct).ConfigureAwait(false));
    }

    /// <summary>
    /// The registry at a glance: every participant with its status and counts of what its events
    /// record, and the latest <paramref name="latest"/> anchors and certificates. Three round trips:
    /// the head, the events and statuses at it, then the times of the blocks shown.
    /// </summary>
    public async Task<RegistryOverview> OverviewAsync(int latest = 10, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(latest);
        var batch = await PinnedBatchAsync(ct).ConfigureAwait(false);
        var participants = batch.Call<ParticipantsFunction, Bytes2ArrayOutput, IReadOnlyList<ParticipantCode>>(new(),
            o => [.. o.Value.Select(AbiValues.Code).OfType<ParticipantCode>()]);
        var issued = batch.Logs<CertificateIssuedEvent>(null, fromBlock);
        var confirmed = batch.Logs<ImportConfirmedEvent>(null, fromBlock);
        var voided = batch.Logs<CertificateVoidedEvent>(null, fromBlock);
        var registered = batch.Logs<ParcelRegisteredEvent>(null, fromBlock);
        var derived = batch.Logs<ParcelDerivedEvent>(null, fromBlock);
        var transformed = batch.Logs<ParcelsTransformedEvent>(null, fromBlock);
        var anchored = batch.Logs<BatchAnchoredEvent>(null, fromBlock);
        await batch.SendAsync(ct).ConfigureAwait(false);

        var codes = participants.Value;
        var statuses = reader.Batch(batch.Block);
        var status = codes.Select(c => statuses.Call<ParticipantStatusFunction, Uint8Output, ParticipantStatus>(new() { Code = c.ToBytes() }, o => (ParticipantStatus)o.Value)).ToList();
        if (codes.Count > 0) await statuses.SendAsync(ct).ConfigureAwait(false);

        static Dictionary<ParticipantCode, int> Count<T>(IEnumerable<T> items, Func<T, byte[]> code) =>
            items.Select(i => AbiValues.Code(code(i))).OfType<ParticipantCode>().GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        var byExporter = Count(issued.Value, l => l.Event.Exporter);
        var byImporter = Count(issued.Value, l => l.Event.Importer);
        var confirmedBy = Count(confirmed.Value, l => l.Event.Importer);
        var voidedBy = Count(voided.Value, l => l.Event.Exporter);
        var origins = Count(registered.Value, l => l.Event.Participant);
        var outputs = Count(derived.Value, l => l.Event.Participant);
        var transformations = Count(transformed.Value, l => l.Event.Participant);
        var anchors = Count(anchored.Value, l => l.Event.Participant);
        static int Of(Dictionary<ParticipantCode, int> d, ParticipantCode c) => d.GetValueOrDefault(c);
        var activity = codes.Select((c, i) => new ParticipantActivity(c, status[i].Value, Of(byExporter, c), Of(byImporter, c), Of(confirmedBy, c),
            Of(voidedBy, c), Of(origins, c), Of(outputs, c), Of(transformations, c), Of(anchors, c))).ToList();

        var lastAnchors = anchored.Value.OrderByDescending(l => (l.BlockNumber, l.LogIndex)).Take(latest).ToList();
        var lastCertificates = issued.Value.OrderByDescending(l => (l.BlockNumber, l.LogIndex)).Take(latest).ToList();
        var times = await BlockTimesAsync(lastAnchors.Select(l => l.BlockNumber).Concat(lastCertificates.Select(l => l.BlockNumber)), ct).ConfigureAwait(false);
        EventMark Mark(ulong block, ulong index, string tx) => new(tx, block, times[block], index);
        return new RegistryOverview(activity,
            [.. lastAnchors.Select(l => new AnchorEntry(Hash32.FromBytes(l.Event.Root), AbiValues.Code(l.Event.Participant), Checksummed(l.Event.Registrant),
                l.Event.LeafCount, Mark(l.BlockNumber, l.LogIndex, l.TransactionHash)))],
            [.. lastCertificates.Select(l => new CertificateEntry(AbiValues.Code(l.Event.Exporter), AbiValues.Code(l.Event.Importer), Hash32.FromBytes(l.Event.NumberHash),
                Hash32.FromBytes(l.Event.CertificateHash), l.Event.Parcels.Count, Mark(l.BlockNumber, l.LogIndex, l.TransactionHash)))],
            issued.Value.Count, registered.Value.Count + derived.Value.Count, BlockOf(batch));
    }

    /// <summary>The 32-byte topic of an indexed <c>RecordKind</c> (uint8).</summary>
    public static Hash32 KindTopic(FlaggableKind kind)
    {
        Span<byte> word = stackalloc byte[32];
        word[31] = (byte)kind;
        return Hash32.FromBytes(word);
    }

    /// <summary>The times of <paramref name="blocks"/> (Unix seconds), read in batches of block headers.</summary>
    public async Task<IReadOnlyDictionary<ulong, ulong>> BlockTimesAsync(IEnumerable<ulong> blocks, CancellationToken ct = default)
    {
        var times = new Dictionary<ulong, ulong>();
        foreach (var chunk in blocks.Distinct().Order().Chunk(HeadersPerBatch))
        {
            var results = await reader.Rpc.BatchAsync([.. chunk.Select(b => new RpcCall("eth_getBlockByNumber", ChainRpc.Hex(b), false))], ct).ConfigureAwait(false);
            for (var i = 0; i < chunk.Length; i++)
            {
                if (results[i].Error is { } error) throw error;
                if (results[i].Result is not Newtonsoft.Json.Linq.JObject block) throw new FormatException($"eth_getBlockByNumber: the node does not know block {chunk[i]}");
                times[chunk[i]] = BlockHeader.From(block).Timestamp;
            }
        }
        return times;
    }

    // A batch pinned to the head block, so every read of one lookup sees the same chain.
    private async Task<RegistryBatch> PinnedBatchAsync(CancellationToken ct)
    {
        var head = await reader.Rpc.RequestAsync(new RpcCall("eth_blockNumber"), ct).ConfigureAwait(false);
        return reader.Batch(ChainRpc.Hex(ChainRpc.Quantity(head)));
    }

    private static ulong BlockOf(RegistryBatch batch) => (ulong)ChainRpc.Quantity(batch.Block);

    private (BatchResult<IReadOnlyList<RegistryEventLog<AuthorityAddedEvent>>> Added, BatchResult<IReadOnlyList<RegistryEventLog<AuthorityRemovedEvent>>> Removed)
        AuthorityLogs(RegistryBatch batch, Hash32[]? participant) =>
        (batch.Logs<AuthorityAddedEvent>(participant, fromBlock), batch.Logs<AuthorityRemovedEvent>(participant, fromBlock));

    private (BatchResult<IReadOnlyList<RegistryEventLog<MemberAddedEvent>>> Added, BatchResult<IReadOnlyList<RegistryEventLog<MemberRemovedEvent>>> Removed)
        MemberLogs(RegistryBatch batch, Hash32[]? participant) =>
        (batch.Logs<MemberAddedEvent>(participant, fromBlock), batch.Logs<MemberRemovedEvent>(participant, fromBlock));

    /// <summary>The (participant, account) pairs added and not removed since, replaying both event streams in chain order.</summary>
    private static List<Added> Current<TAdded, TRemoved>(IReadOnlyList<RegistryEventLog<TAdded>> added, IReadOnlyList<RegistryEventLog<TRemoved>> removed)
        where TAdded : IEventDTO, IDirectoryEvent, new() where TRemoved : IEventDTO, IDirectoryEvent, new()
    {
        var replay = added.Select(a => (IsAdd: true, Event: (IDirectoryEvent)a.Event, a.TransactionHash, a.BlockNumber, a.LogIndex))
            .Concat(removed.Select(r => (IsAdd: false, Event: (IDirectoryEvent)r.Event, r.TransactionHash, r.BlockNumber, r.LogIndex)))
            .OrderBy(e => (e.BlockNumber, e.LogIndex));
        var current = new Dictionary<(ParticipantCode, string), Added>();
        foreach (var e in replay)
        {
            if (AbiValues.Code(e.Event.Participant) is not { } code) continue;
            var account = Checksummed(e.Event.Account);
            if (e.IsAdd) current[(code, account)] = new Added(code, account, e.Event.MemberIndex, e.TransactionHash, e.BlockNumber, e.LogIndex);
            else current.Remove((code, account));
        }
        return [.. current.Values.OrderBy(c => (c.BlockNumber, c.LogIndex))];
    }

    private static List<DirectoryEntry> Entries(IEnumerable<Added> current, IReadOnlyDictionary<ulong, ulong> times) =>
        [.. current.Select(c => new DirectoryEntry(c.Participant, c.Account, new EventMark(c.TransactionHash, c.BlockNumber, times[c.BlockNumber], c.LogIndex), c.Index))];

    private sealed record Added(ParticipantCode Participant, string Account, uint? Index, string TransactionHash, ulong BlockNumber, ulong LogIndex);

    private static string Checksummed(string address) => AddressUtil.Current.ConvertToChecksumAddress(address);
}
