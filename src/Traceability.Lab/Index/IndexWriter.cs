using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Traceability.Lab.Index;

/// <summary>Where an event was logged: block, log index, transaction and block time.</summary>
/// <param name="Block">Block number.</param>
/// <param name="Log">Log index in the block.</param>
/// <param name="Tx">Transaction hash (32 bytes).</param>
/// <param name="Time">Block time, Unix seconds.</param>
public readonly record struct LogMark(ulong Block, ulong Log, byte[] Tx, ulong Time);

/// <summary>The writes of one round of the indexer, in one transaction: prepared statements, one per table.</summary>
public sealed class IndexWriter : IDisposable
{
    private const int SqliteConstraint = 19; // SQLITE_CONSTRAINT
    private readonly IndexStore _store;
    private readonly SqliteTransaction _tx;
    private readonly Dictionary<string, SqliteCommand> _commands = [];
    private bool _done;

    internal IndexWriter(IndexStore store, SqliteTransaction tx) => (_store, _tx) = (store, tx);

    /// <summary>Rows written in this round.</summary>
    public long Rows { get; private set; }

    /// <summary>A block read (its hash checked on the next run).</summary>
    public void Block(IndexedBlock b) =>
        Run("INSERT INTO blocks (number, hash, time) VALUES ($1, $2, $3) ON CONFLICT (number) DO UPDATE SET hash = excluded.hash, time = excluded.time",
            (long)b.Number, IndexStore.Bytes(b.Hash), (long)b.Time);

    /// <summary>ParticipantAdded, Suspended or Reinstated.</summary>
    public void ParticipantEvent(LogMark m, string kind, string code) =>
        Insert(m, "INSERT INTO participant_events (block, log, tx, time, kind, code) VALUES ($1, $2, $3, $4, $5, $6)", Mark(m, kind, code));

    /// <summary>An authority or member added or removed.</summary>
    public void DirectoryEvent(LogMark m, string kind, string participant, string account, uint? memberIndex) =>
        Insert(m, "INSERT INTO directory_events (block, log, tx, time, kind, participant, account, member_index) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            Mark(m, kind, participant, account, memberIndex is { } i ? (long)i : null));

    /// <summary>A parcel: an origin parcel (no transformation) or a transformation's output.</summary>
    public void Parcel(LogMark m, byte[] hash, string participant, string? registrant, byte[]? transformation) =>
        Insert(m, "INSERT INTO parcels (hash, participant, registrant, transformation, block, log, tx, time, quarter) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            hash, participant, registrant, transformation, (long)m.Block, (long)m.Log, m.Tx, (long)m.Time, (long)IndexStore.QuarterOf(m.Time));

    /// <summary>A transformation's input (stored once per transformation and input).</summary>
    public void TransformationInput(ulong block, byte[] transformation, byte[] input) =>
        Run("INSERT OR IGNORE INTO transformation_inputs (transformation, input, block) VALUES ($1, $2, $3)", transformation, input, (long)block);

    /// <summary>A transformation.</summary>
    public void Transformation(LogMark m, byte[] hash, string participant, string registrant, int outputs) =>
        Insert(m, "INSERT INTO transformations (hash, participant, registrant, outputs, block, log, tx, time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            hash, participant, registrant, (long)outputs, (long)m.Block, (long)m.Log, m.Tx, (long)m.Time);

    /// <summary>An anchored batch.</summary>
    public void Anchor(LogMark m, byte[] root, string participant, string registrant, uint leafCount) =>
        Insert(m, "INSERT INTO anchors (root, participant, registrant, leaf_count, block, log, tx, time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            root, participant, registrant, (long)leafCount, (long)m.Block, (long)m.Log, m.Tx, (long)m.Time);

    /// <summary>An issued certificate and its parcels.</summary>
    public void Certificate(LogMark m, string exporter, byte[] numberHash, string importer, byte[] certificateHash, ulong expiresAt,
        string authority, string relayer, IReadOnlyList<byte[]> parcels)
    {
        Insert(m, "INSERT INTO certificates (exporter, number_hash, importer, certificate_hash, expires_at, authority, relayer, parcels, block, log, tx, time, quarter) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            exporter, numberHash, importer, certificateHash, (long)expiresAt, authority, relayer, (long)parcels.Count, (long)m.Block, (long)m.Log, m.Tx, (long)m.Time,
            (long)IndexStore.QuarterOf(m.Time));
        foreach (var p in parcels)
        {
            Run("INSERT OR IGNORE INTO certificate_parcels (exporter, number_hash, parcel, block) VALUES ($1, $2, $3, $4)", exporter, numberHash, p, (long)m.Block);
        }
    }

    /// <summary>An import confirmation.</summary>
    public void Confirmation(LogMark m, string exporter, byte[] numberHash, string importer, byte[] confirmationHash, string authority) =>
        Insert(m, "INSERT INTO confirmations (exporter, number_hash, importer, confirmation_hash, authority, block, log, tx, time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            exporter, numberHash, importer, confirmationHash, authority, (long)m.Block, (long)m.Log, m.Tx, (long)m.Time);

    /// <summary>A voided certificate.</summary>
    public void Void(LogMark m, string exporter, byte[] numberHash, string authority) =>
        Insert(m, "INSERT INTO voids (exporter, number_hash, authority, block, log, tx, time) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            exporter, numberHash, authority, (long)m.Block, (long)m.Log, m.Tx, (long)m.Time);

    /// <summary>A record flagged (or unflagged: flag 0).</summary>
    public void Flag(LogMark m, byte kind, byte[] key, byte flag, byte category, byte[] evidenceHash) =>
        Insert(m, "INSERT INTO flags (kind, key, flag, category, evidence_hash, block, log, tx, time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            (long)kind, key, (long)flag, (long)category, evidenceHash, (long)m.Block, (long)m.Log, m.Tx, (long)m.Time);

    /// <summary>Keeps the round: the last block read completely becomes <paramref name="indexedTo"/>.</summary>
    public void Commit(ulong indexedTo)
    {
        _store.SetMeta("indexedTo", indexedTo.ToString(CultureInfo.InvariantCulture), _tx);
        _tx.Commit();
        _done = true;
    }

    private static object?[] Mark(LogMark m, params object?[] rest) => [(long)m.Block, (long)m.Log, m.Tx, (long)m.Time, .. rest];

    // a record the index already holds (the same parcel, certificate or confirmation from another log, or a log read twice) is the node's error, or the file's
    private void Insert(LogMark m, string sql, params object?[] values)
    {
        try
        {
            Run(sql, values);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraint)
        {
            throw new NodeAnswerException($"the node answered eth_getLogs with a log (block {m.Block}, log index {m.Log}) of a record the index already holds "
                + "from another log (or the index file was altered): nothing of the round was written; use another node");
        }
    }

    private void Run(string sql, params object?[] values)
    {
        if (!_commands.TryGetValue(sql, out var cmd))
        {
            cmd = _store.Command(sql, _tx);
            for (var i = 0; i < values.Length; i++) cmd.Parameters.Add(new SqliteParameter("$" + (i + 1).ToString(CultureInfo.InvariantCulture), null));
            cmd.Prepare();
            _commands[sql] = cmd;
        }
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
        cmd.ExecuteNonQuery();
        Rows++;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var c in _commands.Values) c.Dispose();
        if (!_done) _tx.Rollback();
        _tx.Dispose();
    }
}
