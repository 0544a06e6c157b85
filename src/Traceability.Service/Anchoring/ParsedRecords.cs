using System.Collections.Concurrent;
using Traceability.Core.Json;
using Traceability.Core.Records;
using Traceability.Service.Store;

namespace Traceability.Service.Anchoring;

/// <summary>
/// The parsed record of each stored document on its way (received, pending or submitted), parsed once:
/// by validation, or on first use after a restart. A document never changes under its id, so the
/// parsed record stays right; it is forgotten once its record is settled (confirmed or rejected).
/// </summary>
public sealed class ParsedRecords(RecordStore store)
{
    private readonly ConcurrentDictionary<long, KpRecord> _records = new();

    /// <summary>
    /// Most parsed records kept for records waiting for a batch: above it, validation and the drop folder store records without keeping
    /// them parsed (they are read and parsed again when their batch is made), so a large backlog stays in the store, not in memory.
    /// </summary>
    public static int Capacity(AnchoringOptions options) => Math.Max(10_000, 4 * options.MaxBatchSize * (options.MaxInFlightBatches + 1));

    /// <summary>Records held.</summary>
    public int Count => _records.Count;

    /// <summary>Whether the parsed record of <paramref name="id"/> is kept.</summary>
    public bool Contains(long id) => _records.ContainsKey(id);

    /// <summary>Keeps the parsed record of <paramref name="id"/>.</summary>
    public void Remember(long id, KpRecord record) => _records[id] = record;

    /// <summary>
    /// The parsed record of <paramref name="stored"/>: the one kept, or its document parsed now (read from
    /// the store when <paramref name="stored"/> was read without it), kept while the record is on its way.
    /// </summary>
    public KpRecord Of(StoredRecord stored)
    {
        if (_records.TryGetValue(stored.Id, out var record)) return record;
        var document = stored.Document.Length > 0 ? stored.Document : store.ById(stored.Id)?.Document ?? [];
        record = RecordJson.Parse(document);
        if (stored.Stage is RecordStage.Received or RecordStage.Pending or RecordStage.Submitted) _records[stored.Id] = record;
        // a submitted row may be stale: its batch confirmed (and the record forgotten) in the background since it was read;
        // kept now, nothing would forget it again. Its stage is read again after keeping it (the receipt's callback confirms
        // in the store, then forgets: either it forgets after this keep, or this read sees the confirmation)
        if (stored.Stage is RecordStage.Submitted && store.ById(stored.Id)?.Stage is not (RecordStage.Pending or RecordStage.Submitted)) _records.TryRemove(stored.Id, out _);
        return record;
    }

    /// <summary>Forgets settled records.</summary>
    public void Forget(IEnumerable<long> ids)
    {
        foreach (var id in ids) _records.TryRemove(id, out _);
    }
}
