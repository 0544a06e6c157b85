using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Traceability.Core.Json;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;

using Traceability.Service.Diagnostics;

namespace Traceability.Service.Store;

/// <summary>
/// The service's durable store: an embedded SQLite database (WAL), so a record is on disk before it is
/// acknowledged and survives a crash at any point. Receiving commits with synchronous FULL (the WAL is flushed
/// to the disk before the intake acknowledges: the drop file's removal, the API's answer); every later step
/// (pending, a batch made, sent, confirmed, failed, a rejection) commits with NORMAL: a process killed keeps it
/// (the operating system holds the write), and a power cut may roll the store back to an earlier commit, in
/// order, which is a state a crash between two steps also leaves and recovery settles from the node's record.
/// Measured: a flush is 1-2.5 ms on the build machine's disk, and a backlog's batches made five of them a batch
/// under the store's lock. Several processes may open
/// it (the service and <c>kp submit</c>, <c>kp status</c>). Kinds, stages and hashes are typed here and
/// text only in the SQL (and in the text overloads kp uses).
/// </summary>
public sealed class RecordStore : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly Lock _lock = new();

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/>.</summary>
    public RecordStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false, DefaultTimeout = 30 }.ToString());
        _db.Open();
        Execute("PRAGMA busy_timeout=10000; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"); // the wait for a busy store first: switching to WAL takes a lock
        OwnerOnly(Path); // the store holds every document received: readable by its owner only (SQLite gives -wal and -shm the same mode)
        Migrate();
    }

    /// <summary>The schema version this code writes (SQLite's <c>user_version</c>).</summary>
    public const int SchemaVersion = 3;

    /// <summary>
    /// The schema of a new store. A record's row is small and changes with its status; its document is
    /// written once, beside it in <c>documents</c> (same id), so a status change never rewrites the document.
    /// </summary>
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS records (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          intake_key TEXT NOT NULL UNIQUE,
          source TEXT NOT NULL,
          received_at INTEGER NOT NULL,
          kind TEXT,
          record_hash TEXT,
          status TEXT NOT NULL,
          rule TEXT, field TEXT, reason TEXT,
          batch_id INTEGER,
          tx_hash TEXT,
          block_number INTEGER,
          updated_at INTEGER NOT NULL,
          cert_exporter TEXT, cert_number TEXT);
        CREATE INDEX IF NOT EXISTS records_status ON records(status, kind, id);
        CREATE INDEX IF NOT EXISTS records_hash_key ON records(substr(record_hash, 3, 16));
        CREATE INDEX IF NOT EXISTS records_certificate ON records(cert_number, cert_exporter) WHERE cert_number IS NOT NULL;
        CREATE TABLE IF NOT EXISTS documents (id INTEGER PRIMARY KEY, document BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS batches (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          kind TEXT NOT NULL,
          status TEXT NOT NULL,
          record_count INTEGER NOT NULL,
          tx_hash TEXT,
          block_number INTEGER,
          gas_used INTEGER,
          created_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """;

    /// <summary>
    /// Creates a new store, or brings one made by an earlier version up to <see cref="SchemaVersion"/>, in one
    /// immediate transaction (another process opening the same store waits, then finds it done).
    /// Version 1: the exporter and number of every certificate, indexed, so a confirmation finds its
    /// certificate by one lookup (existing certificate rows are filled from their documents). The index
    /// is partial (certificates only): a parcel's status changes never touch it.
    /// Version 2: the documents move out of <c>records</c> into <c>documents</c> (same ids): every status
    /// change of a record had rewritten its whole document.
    /// Version 3: the hash index holds the hash's first 64 bits (<see cref="HashKey"/>), not its 66 characters: a quarter of the size,
    /// and storing a record (a random key inserted) touches fewer of its pages.
    /// </summary>
    private void Migrate()
    {
        using (Enter())
        {
            using var tx = _db.BeginTransaction(deferred: false);
            using var version = Command("PRAGMA user_version", tx);
            var from = (long)version.ExecuteScalar()!;
            if (from >= SchemaVersion) return;
            using var exists = Command("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'records'", tx);
            if ((long)exists.ExecuteScalar()! == 0)
            {
                using var create = Command(Schema, tx);
                create.ExecuteNonQuery();
            }
            else
            {
                using (var missing = Command("CREATE TABLE IF NOT EXISTS batches (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, status TEXT NOT NULL, record_count INTEGER NOT NULL, tx_hash TEXT, block_number INTEGER, gas_used INTEGER, created_at INTEGER NOT NULL); CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);", tx))
                {
                    missing.ExecuteNonQuery();
                }
                if (from < 1) IndexCertificates(tx);
                if (from < 2) MoveDocuments(tx);
                if (from < 3) ShortenHashIndex(tx);
            }
            using var done = Command($"PRAGMA user_version = {SchemaVersion}", tx);
            done.ExecuteNonQuery();
            tx.Commit();
        }
    }

    /// <summary>Version 1 (on a version 0 store, documents still in <c>records</c>): the certificates' exporter and number, indexed.</summary>
    private void IndexCertificates(SqliteTransaction tx)
    {
        using var columns = Command("SELECT COUNT(*) FROM pragma_table_info('records') WHERE name = 'cert_number'", tx);
        if ((long)columns.ExecuteScalar()! == 0)
        {
            using var add = Command("ALTER TABLE records ADD COLUMN cert_exporter TEXT; ALTER TABLE records ADD COLUMN cert_number TEXT;", tx);
            add.ExecuteNonQuery();
        }
        var certificates = new List<(long Id, CertificateRecord Certificate)>();
        using (var read = Command("SELECT id, document FROM records WHERE kind = 'certificate' AND record_hash IS NOT NULL", tx))
        using (var r = read.ExecuteReader())
        {
            while (r.Read())
            {
                try
                {
                    if (RecordJson.Parse((byte[])r[1]) is CertificateRecord c) certificates.Add((r.GetInt64(0), c));
                }
                catch (RecordFormatException)
                {
                    // a certificate row always parsed once; if not, it is not found by number (as before, a scan would not have found it)
                }
            }
        }
        using (var set = Command("UPDATE records SET cert_exporter = $e, cert_number = $n WHERE id = $i", tx))
        {
            var e = set.Parameters.Add("$e", SqliteType.Text);
            var n = set.Parameters.Add("$n", SqliteType.Text);
            var i = set.Parameters.Add("$i", SqliteType.Integer);
            foreach (var (id, c) in certificates)
            {
                (e.Value, n.Value, i.Value) = (c.Exporter.Value, c.Number, id);
                set.ExecuteNonQuery();
            }
        }
        using var index = Command("CREATE INDEX IF NOT EXISTS records_certificate ON records(cert_number, cert_exporter) WHERE cert_number IS NOT NULL", tx);
        index.ExecuteNonQuery();
    }

    /// <summary>Version 2: every document into <c>documents</c>, and the column out of <c>records</c> (SQLite rewrites the table once).</summary>
    private void MoveDocuments(SqliteTransaction tx)
    {
        using var move = Command("""
            CREATE TABLE documents (id INTEGER PRIMARY KEY, document BLOB NOT NULL);
            INSERT INTO documents (id, document) SELECT id, document FROM records;
            ALTER TABLE records DROP COLUMN document;
            """, tx);
        move.ExecuteNonQuery();
    }

    /// <summary>Version 3: the hash index on the hash's first 64 bits (<see cref="HashKey"/>).</summary>
    private void ShortenHashIndex(SqliteTransaction tx)
    {
        using var index = Command("DROP INDEX IF EXISTS records_hash; CREATE INDEX IF NOT EXISTS records_hash_key ON records(substr(record_hash, 3, 16));", tx);
        index.ExecuteNonQuery();
    }

    /// <summary>
    /// The indexed part of a record hash, in SQL over <c>$h</c> and <c>record_hash</c> (the first 16 hex digits after "0x"): a lookup
    /// by hash names both, the index finds the few rows with this key, the full hash picks the one.
    /// </summary>
    internal const string HashKey = "substr(record_hash, 3, 16) = substr($h, 3, 16) AND record_hash = $h";

    /// <summary>The stages of an accepted record, in SQL: a second record of its hash is a duplicate.</summary>
    private const string AcceptedStages = "('pending', 'submitted', 'confirmed')";

    /// <summary>The rejection of a record whose hash the accepted record <paramref name="earlier"/> already holds.</summary>
    public static (string Rule, string Field, string Reason) Duplicate(Hash32 hash, long earlier) =>
        ("duplicate", "document", $"the same record (hash {hash}) was already received as #{earlier}");

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>
    /// Stores documents, <see cref="ReceiveChunk"/> a transaction (all durable when this returns). A document already received
    /// with the same key (by default the same source and bytes: a re-read drop file after a crash, or a
    /// repeated submit) is not stored again: its existing id is returned with <c>IsNew</c> false.
    /// With <paramref name="resubmission"/>, a document whose earlier copy was rejected is stored again
    /// as a new record: handed over again once the cause is fixed (the account made a member, ...), it
    /// is validated again instead of being ignored. <paramref name="committed"/> runs for each document (its index and record) once its
    /// transaction is committed, before the store's lock is released (the drop folder keeps the parsed records there: a record's batch
    /// cannot be confirmed, and its parsed record forgotten, before it is kept).
    /// </summary>
    public IReadOnlyList<ReceivedRecord> Receive(IReadOnlyList<IncomingDocument> documents, bool resubmission = false,
        Action<int, ReceivedRecord>? committed = null)
    {
        var result = new List<ReceivedRecord>(documents.Count);
        for (var start = 0; start < documents.Count; start += ReceiveChunk)
        {
            var end = Math.Min(documents.Count, start + ReceiveChunk);
            if (start > 0)
            {
                CrashPoints.Hit(CrashPoints.ChunkStored);
                LetWaitersFirst();
            }
            lock (_lock)
            {
                // the last chunk's commit is flushed, and with it every earlier one (the WAL is written in order): acknowledged once on the disk
                var last = end == documents.Count;
                if (last) SetSynchronous("FULL");
                try
                {
                    ReceiveLocked(documents, start, end, resubmission, result);
                }
                finally
                {
                    if (last) SetSynchronous("NORMAL");
                }
                // still under the lock: nothing of this process reads or settles the new records before the caller has taken note of them
                for (var i = start; i < end; i++) committed?.Invoke(i, result[i]);
            }
        }
        return result;
    }

    /// <summary>
    /// Documents stored in one transaction of <see cref="Receive"/>: a drop file of 1,000 records held the store's lock for about
    /// 25 ms, and the batches waited behind the intake's files (on a two-core machine the node then idled: 10-15 % of the
    /// throughput). Between two chunks the store's other callers go first (<see cref="LetWaitersFirst"/>). A crash between two
    /// chunks leaves the first stored and the file unacknowledged: read again, its stored documents are found by their intake key.
    /// </summary>
    public const int ReceiveChunk = 128;

    /// <summary>Callers other than <see cref="Receive"/> waiting for the store's lock (see <see cref="Enter"/>).</summary>
    private int _waiting;

    /// <summary>Set while no caller waits for the store's lock (see <see cref="LetWaitersFirst"/>).</summary>
    private readonly ManualResetEventSlim _noWaiters = new(true);

    /// <summary>Takes the store's lock for one of the service's short steps: a bulk <see cref="Receive"/> lets it in between two chunks.</summary>
    private Lock.Scope Enter()
    {
        if (Interlocked.Increment(ref _waiting) == 1) _noWaiters.Reset();
        try
        {
            return _lock.EnterScope();
        }
        finally
        {
            if (Interlocked.Decrement(ref _waiting) == 0) _noWaiters.Set();
        }
    }

    /// <summary>
    /// Waits (blocked, not spinning) while other callers wait for the lock: a woken waiter takes it within microseconds, up to a time
    /// slice on a busy machine; at most 100 ms, so a steady stream of them cannot stall the intake.
    /// </summary>
    private void LetWaitersFirst() => _noWaiters.Wait(100);

    private void SetSynchronous(string mode)
    {
        using var pragma = Command($"PRAGMA synchronous={mode}");
        pragma.ExecuteNonQuery();
    }

    private void ReceiveLocked(IReadOnlyList<IncomingDocument> documents, int start, int end, bool resubmission, List<ReceivedRecord> result)
    {
        using (var tx = _db.BeginTransaction())
        {
            using var insert = Command("""
                INSERT OR IGNORE INTO records (intake_key, source, received_at, status, kind, record_hash, cert_exporter, cert_number, rule, field, reason, updated_at)
                VALUES ($k, $s, $t, $st, $kind, $h, $ce, $cn, $r, $f, $m, $t) RETURNING id
                """, tx);
            using var document = Command("INSERT INTO documents (id, document) VALUES ($i, $d)", tx);
            using var find = Command("SELECT id, status FROM records WHERE intake_key = $k", tx);
            using var release = Command("UPDATE records SET intake_key = intake_key || '#' || id WHERE intake_key = $k AND status = 'rejected'", tx);
            using var accepted = Command($"SELECT MIN(id) FROM records WHERE {HashKey} AND status IN {AcceptedStages}", tx);
            // parameters made once and given new values per document (binding by name allocates for every parameter added)
            var (key, source, time, stage, rule, field, reason) = (insert.Parameters.Add("$k", SqliteType.Text), insert.Parameters.Add("$s", SqliteType.Text),
                insert.Parameters.Add("$t", SqliteType.Integer), insert.Parameters.Add("$st", SqliteType.Text), insert.Parameters.Add("$r", SqliteType.Text),
                insert.Parameters.Add("$f", SqliteType.Text), insert.Parameters.Add("$m", SqliteType.Text));
            var (kind, hash, certExporter, certNumber) = (insert.Parameters.Add("$kind", SqliteType.Text), insert.Parameters.Add("$h", SqliteType.Text),
                insert.Parameters.Add("$ce", SqliteType.Text), insert.Parameters.Add("$cn", SqliteType.Text));
            var (documentId, bytes) = (document.Parameters.Add("$i", SqliteType.Integer), document.Parameters.Add("$d", SqliteType.Blob));
            var findKey = find.Parameters.Add("$k", SqliteType.Text);
            var releaseKey = release.Parameters.Add("$k", SqliteType.Text);
            var acceptedHash = accepted.Parameters.Add("$h", SqliteType.Text);
            // accepted in this chunk's transaction, under the lock; an earlier chunk's records are read again (the query sees them): between
            // two chunks the worker may have settled one (rejected), and its twin is then no duplicate, as in a later receive
            var seen = new Dictionary<Hash32, long>();
            time.Value = Now();
            for (var n = start; n < end; n++)
            {
                var d = documents[n];
                var k = IntakeKey(d);
                if (resubmission)
                {
                    releaseKey.Value = k;
                    release.ExecuteNonQuery();
                }
                var (at, refusal) = (d.RejectedAs is null ? RecordStage.Received : RecordStage.Rejected, d.RejectedAs);
                if (d.Validated is { } v && refusal is null)
                {
                    // validated by its intake: pending at once, unless an accepted record holds its hash
                    acceptedHash.Value = v.Hash.ToString();
                    var other = seen.TryGetValue(v.Hash, out var o) ? o : accepted.ExecuteScalar() as long?;
                    if (other is { } earlier) (at, refusal) = (RecordStage.Rejected, Duplicate(v.Hash, earlier));
                    else at = RecordStage.Pending;
                }
                var certificate = d.Validated?.Record as CertificateRecord;
                key.Value = k;
                source.Value = d.Source;
                stage.Value = at.ToText();
                kind.Value = (object?)d.Validated?.Record.Kind.ToJsonName() ?? DBNull.Value;
                hash.Value = (object?)d.Validated?.Hash.ToString() ?? DBNull.Value;
                certExporter.Value = (object?)certificate?.Exporter.Value ?? DBNull.Value;
                certNumber.Value = (object?)certificate?.Number ?? DBNull.Value;
                rule.Value = (object?)refusal?.Rule ?? DBNull.Value;
                field.Value = (object?)refusal?.Field ?? DBNull.Value;
                reason.Value = (object?)refusal?.Reason ?? DBNull.Value;
                if (insert.ExecuteScalar() is long id)
                {
                    (documentId.Value, bytes.Value) = (id, d.Document);
                    document.ExecuteNonQuery(); // the document once, in the record's transaction
                    if (at == RecordStage.Pending) seen[d.Validated!.Value.Hash] = id;
                    result.Add(new(id, true, at));
                    continue;
                }
                findKey.Value = k;
                using var row = find.ExecuteReader();
                row.Read();
                result.Add(new(row.GetInt64(0), false, RecordStatus.Parse(row.GetString(1))));
            }
            tx.Commit();
        }
    }

    /// <summary>Records at <paramref name="stage"/> (and of <paramref name="kind"/>), oldest first.</summary>
    public IReadOnlyList<StoredRecord> WithStatus(RecordStage stage, int max, RecordKind? kind = null, bool withDocument = true)
    {
        using (Enter())
        {
            using var c = Command($"SELECT {Columns(withDocument)} WHERE r.status = $s {(kind is null ? "" : "AND r.kind = $k")} ORDER BY r.id LIMIT $n");
            c.Parameters.AddWithValue("$s", stage.ToText());
            if (kind is { } k) c.Parameters.AddWithValue("$k", k.ToJsonName());
            c.Parameters.AddWithValue("$n", max);
            return Read(c, withDocument);
        }
    }

    /// <summary>
    /// The oldest record at one of <paramref name="stages"/> holding certificate <paramref name="number"/>
    /// of <paramref name="exporter"/> (a number belongs to its exporter): one indexed lookup.
    /// </summary>
    public StoredRecord? Certificate(ParticipantCode exporter, string number, params ReadOnlySpan<RecordStage> stages)
    {
        using (Enter())
        {
            using var c = Command($"SELECT {Columns(true)} WHERE r.cert_number = $n AND r.cert_exporter = $e AND r.status IN ({string.Join(",", Enumerable.Range(0, stages.Length).Select(i => "$s" + i))}) ORDER BY r.id LIMIT 1");
            c.Parameters.AddWithValue("$n", number);
            c.Parameters.AddWithValue("$e", exporter.Value);
            for (var i = 0; i < stages.Length; i++) c.Parameters.AddWithValue("$s" + i, stages[i].ToText());
            return Read(c, true).FirstOrDefault();
        }
    }

    /// <summary>Records whose hash is <paramref name="recordHash"/>, oldest first.</summary>
    public IReadOnlyList<StoredRecord> ByHash(string recordHash)
    {
        using (Enter())
        {
            using var c = Command($"SELECT {Columns(false)} WHERE {HashKey.Replace("record_hash", "r.record_hash", StringComparison.Ordinal)} ORDER BY r.id");
            c.Parameters.AddWithValue("$h", recordHash.ToLowerInvariant());
            return Read(c, false);
        }
    }

    /// <summary>The record with this id.</summary>
    public StoredRecord? ById(long id)
    {
        using (Enter())
        {
            using var c = Command($"SELECT {Columns(true)} WHERE r.id = $i");
            c.Parameters.AddWithValue("$i", id);
            return Read(c, true).FirstOrDefault();
        }
    }

    /// <summary>For each of <paramref name="hashes"/> held by an accepted record (pending, submitted or confirmed), that record's id.</summary>
    public IReadOnlyDictionary<Hash32, long> Accepted(IReadOnlyCollection<Hash32> hashes)
    {
        var found = new Dictionary<Hash32, long>();
        if (hashes.Count == 0) return found;
        // one parameter, a JSON array of the hashes (hex: nothing to escape), looked up one by one in the hash index
        var list = new StringBuilder(hashes.Count * 69 + 2).Append('[');
        foreach (var h in hashes) list.Append(list.Length > 1 ? ",\"" : "\"").Append(h.ToString()).Append('"');
        list.Append(']');
        using (Enter())
        {
            using var c = Command($"""
                SELECT record_hash, MIN(id) FROM records
                WHERE substr(record_hash, 3, 16) IN (SELECT substr(value, 3, 16) FROM json_each($h)) AND record_hash IN (SELECT value FROM json_each($h))
                  AND status IN {AcceptedStages}
                GROUP BY record_hash
                """);
            c.Parameters.AddWithValue("$h", list.ToString());
            using var r = c.ExecuteReader();
            while (r.Read()) found[Hash32.Parse(r.GetString(0))] = r.GetInt64(1);
        }
        return found;
    }

    /// <summary>
    /// Of <paramref name="hashes"/>, those held by a record that is pending or submitted (not yet anchored), or confirmed:
    /// a parent the chain did not have when the checks read it may have been confirmed since (its batch mined between
    /// that read and this one), and is then no unknown parent but one to read again.
    /// </summary>
    public IReadOnlySet<Hash32> InFlight(IEnumerable<Hash32> hashes)
    {
        var found = new HashSet<Hash32>();
        using (Enter())
        {
            using var c = Command($"SELECT 1 FROM records WHERE {HashKey} AND status IN {AcceptedStages} LIMIT 1");
            foreach (var h in hashes)
            {
                c.Parameters.Clear();
                c.Parameters.AddWithValue("$h", h.ToString());
                if (c.ExecuteScalar() is not null) found.Add(h);
            }
        }
        return found;
    }

    /// <summary>
    /// Marks validated records pending (waiting for a batch) with their kind and hash (and a certificate's
    /// exporter and number, its lookup key); only records still received (so a record settled meanwhile stays as it is), and
    /// only while no accepted record holds the same hash (one stored meanwhile stays the only one: this one is validated again).
    /// </summary>
    public void MarkPending(IEnumerable<(long Id, KpRecord Record, Hash32 Hash)> records)
    {
        // one statement for the lot (a JSON array of rows joined in SQLite): binding thousands of single-row updates cost more than the work
        var buffer = new ArrayBufferWriter<byte>();
        var count = 0;
        using (var rows = new Utf8JsonWriter(buffer))
        {
            rows.WriteStartArray();
            foreach (var (id, record, hash) in records)
            {
                var certificate = record as CertificateRecord;
                rows.WriteStartArray();
                rows.WriteNumberValue(id);
                rows.WriteStringValue(record.Kind.ToJsonName());
                rows.WriteStringValue(hash.ToString());
                if (certificate is null)
                {
                    rows.WriteNullValue();
                    rows.WriteNullValue();
                }
                else
                {
                    rows.WriteStringValue(certificate.Exporter.Value);
                    rows.WriteStringValue(certificate.Number);
                }
                rows.WriteEndArray();
                count++;
            }
            rows.WriteEndArray();
        }
        if (count == 0) return;
        using (Enter())
        {
            using var tx = _db.BeginTransaction();
            using var c = Command($"""
                UPDATE records SET status = 'pending', kind = j.value ->> 1, record_hash = j.value ->> 2, cert_exporter = j.value ->> 3, cert_number = j.value ->> 4,
                  batch_id = NULL, updated_at = $t
                FROM json_each($rows) AS j
                WHERE records.id = j.value ->> 0 AND +records.status = 'received' -- '+': look each row up by id, never scan the status index
                  -- an accepted twin stored meanwhile (the drop folder stores validated records pending at once): this one stays received,
                  -- and its next validation finds the twin and rejects it as a duplicate
                  AND NOT EXISTS (SELECT 1 FROM records AS o WHERE substr(o.record_hash, 3, 16) = substr(j.value ->> 2, 3, 16) AND o.record_hash = j.value ->> 2
                    AND o.status IN {AcceptedStages})
                """, tx);
            c.Parameters.AddWithValue("$rows", Encoding.UTF8.GetString(buffer.WrittenSpan)); // text: SQLite would take a blob for JSONB
            c.Parameters.AddWithValue("$t", Now());
            c.ExecuteNonQuery();
            tx.Commit();
        }
    }

    /// <summary>
    /// Marks records rejected with a machine-readable reason (rule, field) and a sentence; only records
    /// not yet in a batch (received or pending), so a record another writer settled meanwhile stays as it is.
    /// </summary>
    public void Reject(IEnumerable<Rejection> records) =>
        Update(records, "UPDATE records SET status = 'rejected', kind = COALESCE($k, kind), record_hash = COALESCE($h, record_hash), rule = $r, field = $f, reason = $m, updated_at = $t WHERE id = $i AND status IN ('received', 'pending')",
            (c, r) =>
            {
                c.Parameters.AddWithValue("$k", (object?)r.Kind?.ToJsonName() ?? DBNull.Value);
                c.Parameters.AddWithValue("$h", (object?)r.Hash?.ToString() ?? DBNull.Value);
                c.Parameters.AddWithValue("$r", r.Rule);
                c.Parameters.AddWithValue("$f", r.Field);
                c.Parameters.AddWithValue("$m", r.Reason);
                c.Parameters.AddWithValue("$i", r.Id);
            });

    /// <summary>Creates a batch and marks its records submitted, in one transaction, before anything is sent.</summary>
    public long StartBatch(RecordKind kind, IReadOnlyList<long> ids)
    {
        using (Enter())
        {
            using var tx = _db.BeginTransaction();
            using var b = Command("INSERT INTO batches (kind, status, record_count, created_at) VALUES ($k, 'submitted', $n, $t); SELECT last_insert_rowid();", tx);
            b.Parameters.AddWithValue("$k", kind.ToJsonName());
            b.Parameters.AddWithValue("$n", ids.Count);
            b.Parameters.AddWithValue("$t", Now());
            var batchId = (long)b.ExecuteScalar()!;
            using var u = Command("UPDATE records SET status = 'submitted', batch_id = $b, updated_at = $t WHERE id IN (SELECT value FROM json_each($ids))", tx);
            u.Parameters.AddWithValue("$b", batchId);
            u.Parameters.AddWithValue("$t", Now());
            u.Parameters.AddWithValue("$ids", "[" + string.Join(",", ids) + "]");
            u.ExecuteNonQuery();
            tx.Commit();
            return batchId;
        }
    }

    /// <summary>Records the transaction of a batch once sent.</summary>
    public void BatchSent(long batchId, string txHash) =>
        Execute("UPDATE batches SET tx_hash = $h WHERE id = $b", ("$h", txHash), ("$b", batchId));

    /// <summary>Marks a batch and its records confirmed.</summary>
    public void BatchConfirmed(long batchId, string txHash, long block, long gasUsed)
    {
        using (Enter())
        {
            using var tx = _db.BeginTransaction();
            using var b = Command("UPDATE batches SET status = 'confirmed', tx_hash = $h, block_number = $n, gas_used = $g WHERE id = $b", tx);
            b.Parameters.AddWithValue("$h", txHash);
            b.Parameters.AddWithValue("$n", block);
            b.Parameters.AddWithValue("$g", gasUsed);
            b.Parameters.AddWithValue("$b", batchId);
            b.ExecuteNonQuery();
            using var r = Command("UPDATE records SET status = 'confirmed', tx_hash = $h, block_number = $n, updated_at = $t WHERE batch_id = $b AND status = 'submitted'", tx);
            r.Parameters.AddWithValue("$h", txHash);
            r.Parameters.AddWithValue("$n", block);
            r.Parameters.AddWithValue("$t", Now());
            r.Parameters.AddWithValue("$b", batchId);
            r.ExecuteNonQuery();
            tx.Commit();
        }
    }

    /// <summary>Marks a batch failed and puts its still-submitted records back to pending.</summary>
    public void BatchFailed(long batchId)
    {
        using (Enter())
        {
            using var tx = _db.BeginTransaction();
            using var b = Command("UPDATE batches SET status = 'failed' WHERE id = $b", tx);
            b.Parameters.AddWithValue("$b", batchId);
            b.ExecuteNonQuery();
            using var r = Command("UPDATE records SET status = 'pending', batch_id = NULL, updated_at = $t WHERE batch_id = $b AND status = 'submitted'", tx);
            r.Parameters.AddWithValue("$t", Now());
            r.Parameters.AddWithValue("$b", batchId);
            r.ExecuteNonQuery();
            tx.Commit();
        }
    }

    /// <summary>Marks records confirmed (found on chain) with the transaction, when known.</summary>
    public void MarkConfirmed(IEnumerable<long> ids, string? txHash, long? block) =>
        Update(ids, "UPDATE records SET status = 'confirmed', tx_hash = COALESCE($h, tx_hash), block_number = COALESCE($n, block_number), updated_at = $t WHERE id = $i",
            (c, id) => { c.Parameters.AddWithValue("$h", (object?)txHash ?? DBNull.Value); c.Parameters.AddWithValue("$n", (object?)block ?? DBNull.Value); c.Parameters.AddWithValue("$i", id); });

    /// <summary>Batches still marked submitted (sent or about to be), with their transaction when known.</summary>
    public IReadOnlyList<(long Id, RecordKind Kind, string? TxHash)> SubmittedBatches()
    {
        using (Enter())
        {
            using var c = Command("SELECT id, kind, tx_hash FROM batches WHERE status = 'submitted' ORDER BY id");
            using var r = c.ExecuteReader();
            var list = new List<(long, RecordKind, string?)>();
            while (r.Read()) list.Add((r.GetInt64(0), KindOf(r.GetString(1)), r.IsDBNull(2) ? null : r.GetString(2)));
            return list;
        }
    }

    /// <summary>The ids of the records of a batch that are still submitted.</summary>
    public IReadOnlyList<long> SubmittedIn(long batchId)
    {
        using (Enter())
        {
            using var c = Command("SELECT id FROM records WHERE batch_id = $b AND status = 'submitted' ORDER BY id");
            c.Parameters.AddWithValue("$b", batchId);
            using var r = c.ExecuteReader();
            var list = new List<long>();
            while (r.Read()) list.Add(r.GetInt64(0));
            return list;
        }
    }

    /// <summary>Record counts by status text (see <see cref="RecordStatus"/>), as kp status and /status print them.</summary>
    public IReadOnlyDictionary<RecordStage, long> Counts()
    {
        using (Enter())
        {
            var counts = Enum.GetValues<RecordStage>().ToDictionary(s => s, _ => 0L);
            using var c = Command("SELECT status, COUNT(*) FROM records GROUP BY status");
            using var r = c.ExecuteReader();
            while (r.Read()) counts[RecordStatus.Parse(r.GetString(0))] = r.GetInt64(1);
            return counts;
        }
    }

    /// <summary>
    /// Records confirmed through batches and records rejected, from the small batches table and the status index's
    /// rejected range: cheap enough to poll (<see cref="Counts"/> reads every record). Records found already on chain
    /// (confirmed outside any batch) are not in the first figure.
    /// </summary>
    public (long ConfirmedInBatches, long Rejected) Settled()
    {
        using (Enter())
        {
            using var c = Command("SELECT (SELECT COALESCE(SUM(record_count),0) FROM batches WHERE status = 'confirmed'), (SELECT COUNT(*) FROM records WHERE status = 'rejected')");
            using var r = c.ExecuteReader();
            r.Read();
            return (r.GetInt64(0), r.GetInt64(1));
        }
    }

    /// <summary>Total gas and records of confirmed batches.</summary>
    public (long Gas, long Records, long Batches) ConfirmedGas()
    {
        using (Enter())
        {
            using var c = Command("SELECT COALESCE(SUM(gas_used),0), COALESCE(SUM(record_count),0), COUNT(*) FROM batches WHERE status = 'confirmed'");
            using var r = c.ExecuteReader();
            r.Read();
            return (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
        }
    }

    /// <summary>
    /// The confirmed batches by block: each block's number, the batches it holds, their records and gas (to measure how
    /// full the blocks were; one short query on the batches table).
    /// </summary>
    public IReadOnlyList<(long Block, int Batches, long Records, long Gas)> ConfirmedBlocks()
    {
        using (Enter())
        {
            using var c = Command("SELECT block_number, COUNT(*), SUM(record_count), SUM(gas_used) FROM batches WHERE status = 'confirmed' AND block_number IS NOT NULL GROUP BY block_number ORDER BY block_number");
            using var r = c.ExecuteReader();
            var blocks = new List<(long, int, long, long)>();
            while (r.Read()) blocks.Add((r.GetInt64(0), r.GetInt32(1), r.GetInt64(2), r.GetInt64(3)));
            return blocks;
        }
    }

    /// <summary>
    /// When the confirmed records were confirmed, by the file they came in: the file (the source up to its '#line'),
    /// the time its records were marked confirmed (Unix ms) and how many were, one row per file and moment.
    /// </summary>
    public IReadOnlyList<(string File, long ConfirmedAt, long Records)> ConfirmationTimes()
    {
        using (Enter())
        {
            using var c = Command("""
                SELECT CASE WHEN instr(source, '#') > 0 THEN substr(source, 1, instr(source, '#') - 1) ELSE source END AS file, updated_at, COUNT(*)
                FROM records WHERE status = 'confirmed' GROUP BY file, updated_at
                """);
            using var r = c.ExecuteReader();
            var rows = new List<(string, long, long)>();
            while (r.Read()) rows.Add((r.GetString(0), r.GetInt64(1), r.GetInt64(2)));
            return rows;
        }
    }

    /// <summary>A value of the meta table.</summary>
    public string? Meta(string key)
    {
        using (Enter())
        {
            using var c = Command("SELECT value FROM meta WHERE key = $k");
            c.Parameters.AddWithValue("$k", key);
            return c.ExecuteScalar() as string;
        }
    }

    /// <summary>Sets a value of the meta table.</summary>
    public void SetMeta(string key, string value) =>
        Execute("INSERT INTO meta (key, value) VALUES ($k, $v) ON CONFLICT(key) DO UPDATE SET value = $v", ("$k", key), ("$v", value));

    /// <summary>Runs one statement with named parameters, under the store's lock.</summary>
    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using (Enter())
        {
            using var c = Command(sql);
            foreach (var (name, value) in parameters) c.Parameters.AddWithValue(name, value);
            c.ExecuteNonQuery();
        }
    }

    /// <summary>The intake key: the document's own, or its source and a SHA-256 of the bytes.</summary>
    public static string IntakeKey(IncomingDocument d) => d.Key ?? d.Source + ":" + Convert.ToHexStringLower(SHA256.HashData(d.Document));

    /// <summary>Makes a file readable and writable by its owner only (no-op off Unix).</summary>
    public static void OwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        foreach (var p in new[] { path, path + "-wal", path + "-shm" })
        {
            if (File.Exists(p)) File.SetUnixFileMode(p, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private void Update<T>(IEnumerable<T> items, string sql, Action<SqliteCommand, T> bind)
    {
        using (Enter())
        {
            using var tx = _db.BeginTransaction();
            using var c = Command(sql, tx);
            foreach (var item in items)
            {
                c.Parameters.Clear();
                c.Parameters.AddWithValue("$t", Now());
                bind(c, item);
                c.ExecuteNonQuery();
            }
            tx.Commit();
        }
    }

    /// <summary>The columns <see cref="Read"/> reads and the table (records as <c>r</c>, joined to their documents when asked).</summary>
    private static string Columns(bool withDocument) =>
        "r.id, r.source, r.status, r.kind, r.record_hash, r.rule, r.field, r.reason, r.batch_id, r.tx_hash, r.block_number, r.received_at"
        + (withDocument ? ", d.document FROM records AS r JOIN documents AS d ON d.id = r.id" : " FROM records AS r");

    private static List<StoredRecord> Read(SqliteCommand c, bool withDocument)
    {
        var list = new List<StoredRecord>();
        using var r = c.ExecuteReader();
        while (r.Read())
        {
            list.Add(new StoredRecord
            {
                Id = r.GetInt64(0),
                Source = r.GetString(1),
                Stage = RecordStatus.Parse(r.GetString(2)),
                RecordKind = r.IsDBNull(3) ? null : KindOf(r.GetString(3)),
                Hash = r.IsDBNull(4) ? null : Hash32.Parse(r.GetString(4)),
                Rule = r.IsDBNull(5) ? null : r.GetString(5),
                Field = r.IsDBNull(6) ? null : r.GetString(6),
                Reason = r.IsDBNull(7) ? null : r.GetString(7),
                BatchId = r.IsDBNull(8) ? null : r.GetInt64(8),
                TransactionHash = r.IsDBNull(9) ? null : r.GetString(9),
                BlockNumber = r.IsDBNull(10) ? null : r.GetInt64(10),
                ReceivedAt = r.GetInt64(11),
                Document = withDocument ? (byte[])r[12] : [],
            });
        }
        return list;
    }

    private static RecordKind KindOf(string text) => RecordKindNames.FromJsonName(text) ?? throw new FormatException($"'{text}' is not a record kind");

    private SqliteCommand Command(string sql, SqliteTransaction? tx = null)
    {
        var c = _db.CreateCommand();
        c.CommandText = sql;
        c.Transaction = tx;
        return c;
    }

    private void Execute(string sql)
    {
        using var c = Command(sql);
        c.ExecuteNonQuery();
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <inheritdoc />
    public void Dispose()
    {
        _db.Dispose();
        _noWaiters.Dispose();
    }
}
