using System.Text;
using Microsoft.Data.Sqlite;
using Traceability.Core.Json;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Service.Store;
using Traceability.Testing;

namespace Traceability.Service.Tests.Store;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes and FIFOs are POSIX
[Trait("Category", "Fast")]
public class RecordStoreTests
{
    private static readonly ParcelRecord AParcel = SampleRecords.OriginParcel();

    private static Hash32 H(char c) => Hash32.Parse("0x" + new string(c, 64));

    private static string NewPath() => new ServiceLayout(Directory.CreateTempSubdirectory("kp-store-").FullName).StorePath;

    private static IncomingDocument Doc(string source, string text) => new(source, Encoding.UTF8.GetBytes(text));

    private static IncomingDocument Checked(string source, KpRecord record, string? key = null) =>
        new(source, Encoding.UTF8.GetBytes(RecordJson.Write(record)), Key: key) { Validated = (record, record.Hash()) };

    [Fact]
    public void A_document_validated_by_its_intake_is_stored_pending_with_its_kind_hash_and_certificate_key_in_one_step()
    {
        using var store = new RecordStore(NewPath());
        var cert = SampleRecords.Certificate("BW", "AE", [AParcel.Hash()]);
        var stored = store.Receive([Checked("p.json", AParcel), Checked("c.json", cert)]);
        Assert.All(stored, r => Assert.Equal((true, RecordStage.Pending), (r.IsNew, r.Stage)));
        var parcel = store.ById(stored[0].Id)!;
        Assert.Equal((RecordStage.Pending, RecordKind.Parcel, AParcel.Hash()), (parcel.Stage, parcel.RecordKind, parcel.Hash));
        Assert.Equal(stored[1].Id, store.Certificate(cert.Exporter, cert.Number, RecordStage.Pending)!.Id);
        Assert.Equal(stored[0].Id, store.Accepted([AParcel.Hash()])[AParcel.Hash()]);
    }

    [Fact]
    public void A_validated_duplicate_is_stored_rejected_naming_the_first_in_the_same_call_and_across_calls()
    {
        using var store = new RecordStore(NewPath());
        var stored = store.Receive([Checked("a.json", AParcel), Checked("b.json", AParcel)]);
        Assert.Equal([RecordStage.Pending, RecordStage.Rejected], stored.Select(r => r.Stage));
        var later = store.Receive([Checked("c.json", AParcel)])[0];
        Assert.Equal(RecordStage.Rejected, later.Stage);
        foreach (var id in new[] { stored[1].Id, later.Id })
        {
            var r = store.ById(id)!;
            Assert.Equal(("duplicate", "document", AParcel.Hash()), (r.Rule, r.Field, r.Hash));
            Assert.Contains($"#{stored[0].Id}", r.Reason);
        }
        // a rejected copy is no reason to refuse: once the first is rejected, the same record is accepted again
        store.Reject([new Rejection(stored[0].Id, RecordKind.Parcel, AParcel.Hash(), "UnknownParcel", "document", "test")]);
        Assert.Equal(RecordStage.Pending, store.Receive([Checked("d.json", AParcel)])[0].Stage);
    }

    [Fact]
    public async Task The_callback_of_a_receive_sees_the_committed_records_before_any_other_user_of_the_store_can()
    {
        // the drop folder keeps the parsed records there: the worker must not batch, confirm and forget one before it is kept
        using var store = new RecordStore(NewPath());
        Task<IReadOnlyDictionary<RecordStage, long>>? other = null;
        var seenInside = false;
        var stored = store.Receive([Checked("p.json", AParcel)], committed: (i, record) =>
        {
            Assert.Equal((0, RecordStage.Pending), (i, record.Stage));
            other = Task.Run(store.Counts);
            Thread.Sleep(300); // a blocking callback, as the drop folder's is: the store's lock is held meanwhile
            seenInside = other.IsCompleted;
        });
        Assert.False(seenInside); // the other reader waited for the callback
        Assert.Equal(1, (await other!)[RecordStage.Pending]);
        Assert.Equal(RecordStage.Pending, stored.Single().Stage);
    }

    [Fact]
    public void A_large_receive_commits_in_chunks_and_lets_a_waiting_caller_in_between_them()
    {
        // the worker's short steps (its batches) must not wait behind a whole drop file: they go between two chunks
        using var store = new RecordStore(NewPath());
        var parcels = Enumerable.Range(0, RecordStore.ReceiveChunk + 10).Select(_ => SampleRecords.OriginParcel()).ToList();
        var documents = parcels.Select((p, i) => Checked($"bulk.jsonl#{i + 1}", p)).Append(Checked("twin", parcels[0])).ToList();
        IReadOnlyDictionary<RecordStage, long>? between = null;
        var caller = new Thread(() => between = store.Counts()); // its own thread: no wait for the thread pool on a busy machine
        var seenAtSecondChunk = false;
        var stored = store.Receive(documents, committed: (i, _) =>
        {
            if (i == 0)
            {
                caller.Start(); // asks for the lock while the first chunk holds it
                Thread.Sleep(500);
            }
            if (i == RecordStore.ReceiveChunk) seenAtSecondChunk = !caller.IsAlive;
        });
        caller.Join();
        Assert.True(seenAtSecondChunk, "the waiting caller did not get the store between the two chunks");
        Assert.Equal(RecordStore.ReceiveChunk, between![RecordStage.Pending]); // it saw the first chunk, committed, and nothing more
        Assert.Equal(parcels.Count, stored.Count(r => r.Stage == RecordStage.Pending));
        Assert.Equal(("duplicate", RecordStage.Rejected), (store.ById(stored[^1].Id)!.Rule, stored[^1].Stage)); // a twin across chunks is still one
    }

    [Fact]
    public void A_twin_in_a_later_chunk_whose_first_copy_was_rejected_between_the_chunks_is_pending_as_a_later_arrival_would_be()
    {
        // between two chunks the worker may batch the first copy and the chain refuse it: the store then holds no accepted record of
        // that hash, and a twin received afterwards is pending (as in a later receive), not a "duplicate" of a rejected record
        using var store = new RecordStore(NewPath());
        var documents = Enumerable.Range(0, RecordStore.ReceiveChunk).Select(i => Checked($"bulk.jsonl#{i + 1}", i == 0 ? AParcel : SampleRecords.OriginParcel()))
            .Append(Checked("twin.json", AParcel)).ToList();
        var stored = store.Receive(documents, committed: (i, r) =>
        {
            if (i == 0) store.Reject([new Rejection(r.Id, RecordKind.Parcel, AParcel.Hash(), "UnknownParcel", "document", "refused by the chain")]);
        });
        Assert.Equal(RecordStage.Rejected, store.ById(stored[0].Id)!.Stage);
        var twin = store.ById(stored[^1].Id)!;
        Assert.True(twin.Stage == RecordStage.Pending, $"the twin is {twin.Stage.ToText()} ({twin.Rule}: {twin.Reason})");
    }

    [Fact]
    public async Task A_store_disposed_while_a_receive_is_between_two_chunks_ends_the_receive_with_an_error_and_blocks_no_one()
    {
        var store = new RecordStore(NewPath());
        var documents = Enumerable.Range(0, RecordStore.ReceiveChunk + 5).Select(i => Checked($"bulk.jsonl#{i + 1}", SampleRecords.OriginParcel())).ToList();
        Task? reader = null;
        var receive = Task.Factory.StartNew(() => store.Receive(documents, committed: (i, _) =>
        {
            if (i != 0) return;
            reader = Task.Factory.StartNew(() => store.Counts(), TaskCreationOptions.LongRunning); // waits for the lock the receive holds
            Thread.Sleep(300);
            store.Dispose();
        }), TaskCreationOptions.LongRunning);
        Assert.Same(receive, await Task.WhenAny(receive, Task.Delay(TimeSpan.FromSeconds(30))));
        Assert.True(receive.IsFaulted, $"the receive {receive.Status} on a disposed store");
        Assert.Same(reader, await Task.WhenAny(reader!, Task.Delay(TimeSpan.FromSeconds(30)))); // a caller waiting for the store's lock got it (and an error)
    }

    [Fact]
    public void A_received_record_whose_twin_was_stored_pending_meanwhile_is_not_marked_pending_too()
    {
        // kp submit hands a document over (received); before the worker marks it pending, the drop folder stores the same record, validated
        using var store = new RecordStore(NewPath());
        var submitted = store.Receive([Doc("kp submit:p.json", RecordJson.Write(AParcel))])[0];
        var dropped = store.Receive([Checked("p.json", AParcel)])[0];
        Assert.Equal(RecordStage.Pending, dropped.Stage);
        store.MarkPending([(submitted.Id, AParcel, AParcel.Hash())]);
        Assert.Equal(RecordStage.Received, store.ById(submitted.Id)!.Stage); // validated again, it is found a duplicate
        Assert.Equal(dropped.Id, store.Accepted([AParcel.Hash()])[AParcel.Hash()]);
    }

    [Fact]
    public void A_validated_document_refused_by_its_intake_keeps_its_reason_kind_and_hash_and_a_second_arrival_of_it_tells_its_stage()
    {
        using var store = new RecordStore(NewPath());
        var refused = Checked("bad.json", AParcel, key: "drop/k1") with { RejectedAs = ("carats", "carats", "too heavy") };
        var first = store.Receive([refused])[0];
        var row = store.ById(first.Id)!;
        Assert.Equal((RecordStage.Rejected, "carats", RecordKind.Parcel, AParcel.Hash()), (row.Stage, row.Rule, row.RecordKind, row.Hash));
        // the same arrival again (its file read again after a crash): not stored twice, its stage told
        Assert.Equal(new ReceivedRecord(first.Id, false, RecordStage.Rejected), store.Receive([refused])[0]);
        var pending = Checked("p.json", SampleRecords.OriginParcel(), key: "drop/k2");
        var once = store.Receive([pending])[0];
        Assert.Equal(new ReceivedRecord(once.Id, false, RecordStage.Pending), store.Receive([pending])[0]);
    }

    [Fact]
    public void Stores_durably_so_a_new_connection_after_close_sees_every_record()
    {
        var path = NewPath();
        using (var store = new RecordStore(path))
        {
            var ids = store.Receive([Doc("a.json", "{1}"), Doc("b.json", "{2}")]);
            Assert.All(ids, r => Assert.True(r.IsNew));
        }
        using var reopened = new RecordStore(path);
        var received = reopened.WithStatus(RecordStage.Received, 10);
        Assert.Equal(["a.json", "b.json"], received.Select(r => r.Source));
        Assert.Equal("{2}", Encoding.UTF8.GetString(received[1].Document));
    }

    [Fact]
    public void The_same_file_read_again_after_a_crash_is_not_stored_twice()
    {
        using var store = new RecordStore(NewPath());
        var first = store.Receive([Doc("a.json", "{1}")])[0];
        var again = store.Receive([Doc("a.json", "{1}"), Doc("a.json", "{changed}"), Doc("b.json", "{1}")]);
        Assert.Equal((first.Id, false), (again[0].Id, again[0].IsNew));
        Assert.True(again[1].IsNew);
        Assert.True(again[2].IsNew);
        Assert.Equal(3, store.Counts()[RecordStage.Received]);
    }

    [Fact]
    public void Walks_a_record_through_pending_submitted_and_confirmed()
    {
        using var store = new RecordStore(NewPath());
        var ids = store.Receive([Doc("a", "1"), Doc("b", "2"), Doc("c", "3")]).Select(r => r.Id).ToList();
        store.MarkPending(ids.Select((id, i) => (id, (KpRecord)AParcel, H((char)('a' + i)))));
        Assert.Equal("0x" + new string('a', 64), store.ById(ids[0])!.Hash?.ToString());
        Assert.Equal(2, store.Accepted([H('a'), H('b'), H('f')]).Count);

        var batch = store.StartBatch(RecordKind.Parcel, ids[..2]);
        Assert.Equal(2, store.Counts()[RecordStage.Submitted]);
        store.BatchSent(batch, "0xabc");
        Assert.Equal((batch, RecordKind.Parcel, "0xabc"), store.SubmittedBatches().Single());
        store.BatchConfirmed(batch, "0xabc", 7, 50_000);
        Assert.Equal(2, store.Counts()[RecordStage.Confirmed]);
        Assert.Equal(7, store.ById(ids[0])!.BlockNumber);
        Assert.Equal((50_000L, 2L, 1L), store.ConfirmedGas());

        var failed = store.StartBatch(RecordKind.Parcel, [ids[2]]);
        store.BatchFailed(failed);
        Assert.Equal(RecordStage.Pending, store.ById(ids[2])!.Stage);
        Assert.Empty(store.SubmittedBatches());
    }

    [Fact]
    public void Keeps_a_rejected_record_with_its_reason()
    {
        using var store = new RecordStore(NewPath());
        var id = store.Receive([Doc("bad.json", "{")])[0].Id;
        store.Reject([new Rejection(id, null, null, "format", "document", "is not valid JSON")]);
        var r = store.ById(id)!;
        Assert.Equal((RecordStage.Rejected, "format", "document", "is not valid JSON"), (r.Stage, r.Rule, r.Field, r.Reason));
        Assert.Equal("{", Encoding.UTF8.GetString(r.Document));
    }

    [Fact]
    public void A_document_handed_over_again_after_its_rejection_is_a_new_record_but_not_after_it_was_accepted()
    {
        using var store = new RecordStore(NewPath());
        var first = store.Receive([Doc("kp submit:p.json", "{1}")])[0];
        store.Reject([new Rejection(first.Id, RecordKind.Parcel, null, "NotAMember", "participant", "not yet a member")]);
        var again = store.Receive([Doc("kp submit:p.json", "{1}")], resubmission: true)[0];
        Assert.True(again.IsNew);
        Assert.NotEqual(first.Id, again.Id);
        Assert.Equal(RecordStage.Rejected, store.ById(first.Id)!.Stage); // the first rejection stays on record
        store.MarkPending([(again.Id, AParcel, H('a'))]);
        var resubmitted = store.Receive([Doc("kp submit:p.json", "{1}")], resubmission: true)[0];
        Assert.Equal((again.Id, false, RecordStage.Pending), (resubmitted.Id, resubmitted.IsNew, resubmitted.Stage));
    }

    [Fact]
    public void A_record_settled_by_one_writer_is_not_undone_by_another()
    {
        using var store = new RecordStore(NewPath());
        var id = store.Receive([Doc("a.json", "{1}")])[0].Id;
        store.MarkPending([(id, AParcel, H('b'))]);
        store.Reject([new Rejection(id, null, null, "format", "document", "late verdict of a second writer")]);
        Assert.Equal(RecordStage.Rejected, store.ById(id)!.Stage);
        store.MarkPending([(id, AParcel, H('b'))]); // a stale "valid" verdict does not revive it
        Assert.Equal(RecordStage.Rejected, store.ById(id)!.Stage);
    }

    [Fact]
    public void A_certificate_is_found_by_exporter_and_number_at_the_stages_asked()
    {
        using var store = new RecordStore(NewPath());
        var bw = SampleRecords.Certificate("BW", "AE", [AParcel.Hash()], number: "KP-0001");
        var ca = SampleRecords.Certificate("CA", "AE", [AParcel.Hash()], number: "KP-0001");
        var ids = store.Receive([Doc("bw.json", RecordJson.Write(bw)), Doc("ca.json", RecordJson.Write(ca))]).Select(r => r.Id).ToList();
        store.MarkPending([(ids[0], bw, bw.Hash()), (ids[1], ca, ca.Hash())]);
        Assert.Equal(ids[1], store.Certificate(ca.Exporter, "KP-0001", RecordStage.Pending)!.Id);
        Assert.Equal(ids[0], store.Certificate(bw.Exporter, "KP-0001", RecordStage.Pending, RecordStage.Submitted)!.Id);
        Assert.Null(store.Certificate(bw.Exporter, "KP-0001", RecordStage.Confirmed));
        Assert.Null(store.Certificate(bw.Exporter, "KP-0002", RecordStage.Pending));
    }

    [Fact]
    public void A_store_made_before_the_certificate_index_is_migrated_in_place_and_finds_its_certificates()
    {
        var path = NewPath();
        var cert = SampleRecords.Certificate("BW", "AE", [AParcel.Hash()], number: "KP-0042");
        using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            old.Open();
            using var c = old.CreateCommand();
            // the schema of the previous version, with one confirmed certificate and one parcel
            c.CommandText = """
                CREATE TABLE records (id INTEGER PRIMARY KEY AUTOINCREMENT, intake_key TEXT NOT NULL UNIQUE, source TEXT NOT NULL, document BLOB NOT NULL,
                  received_at INTEGER NOT NULL, kind TEXT, record_hash TEXT, status TEXT NOT NULL, rule TEXT, field TEXT, reason TEXT, batch_id INTEGER,
                  tx_hash TEXT, block_number INTEGER, updated_at INTEGER NOT NULL);
                CREATE INDEX records_status ON records(status, kind, id);
                CREATE INDEX records_hash ON records(record_hash);
                CREATE TABLE batches (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, status TEXT NOT NULL, record_count INTEGER NOT NULL,
                  tx_hash TEXT, block_number INTEGER, gas_used INTEGER, created_at INTEGER NOT NULL);
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                INSERT INTO records (intake_key, source, document, received_at, kind, record_hash, status, updated_at)
                  VALUES ('k1', 'cert.json', $c, 1, 'certificate', $ch, 'confirmed', 1), ('k2', 'p.json', $p, 2, 'parcel', $ph, 'pending', 2);
                """;
            c.Parameters.AddWithValue("$c", Encoding.UTF8.GetBytes(RecordJson.Write(cert)));
            c.Parameters.AddWithValue("$ch", cert.Hash().ToString());
            c.Parameters.AddWithValue("$p", Encoding.UTF8.GetBytes(RecordJson.Write(AParcel)));
            c.Parameters.AddWithValue("$ph", AParcel.Hash().ToString());
            c.ExecuteNonQuery();
        }
        using (var store = new RecordStore(path))
        {
            Assert.Equal(cert.Hash(), store.Certificate(cert.Exporter, "KP-0042", RecordStage.Confirmed)!.Hash);
            Assert.Equal(RecordKind.Parcel, store.WithStatus(RecordStage.Pending, 10).Single().RecordKind);
        }
        using var again = new RecordStore(path); // opened again: nothing to migrate
        Assert.NotNull(again.Certificate(cert.Exporter, "KP-0042", RecordStage.Confirmed));
        using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        check.Open();
        using var plan = check.CreateCommand();
        plan.CommandText = "EXPLAIN QUERY PLAN SELECT id FROM records WHERE cert_number = 'KP-0042' AND cert_exporter = 'BW' AND status = 'confirmed'";
        using var r = plan.ExecuteReader();
        var steps = new StringBuilder();
        while (r.Read()) steps.Append(r.GetString(3));
        Assert.Contains("records_certificate", steps.ToString());
    }

    /// <summary>How SQLite runs <paramref name="sql"/> on the store at <paramref name="path"/> (EXPLAIN QUERY PLAN's detail lines).</summary>
    private static string Plan(string path, string sql)
    {
        using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        check.Open();
        using var plan = check.CreateCommand();
        plan.CommandText = "EXPLAIN QUERY PLAN " + sql;
        using var r = plan.ExecuteReader();
        var steps = new StringBuilder();
        while (r.Read()) steps.Append(r.GetString(3)).Append('\n');
        return steps.ToString();
    }

    [Fact]
    public void A_version_2_store_gets_the_short_hash_index_and_lookups_by_hash_use_it_and_find_every_record()
    {
        var path = NewPath();
        var other = SampleRecords.OriginParcel();
        using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            old.Open();
            using var c = old.CreateCommand();
            // the schema of version 2: the full hash indexed
            c.CommandText = """
                CREATE TABLE records (id INTEGER PRIMARY KEY AUTOINCREMENT, intake_key TEXT NOT NULL UNIQUE, source TEXT NOT NULL,
                  received_at INTEGER NOT NULL, kind TEXT, record_hash TEXT, status TEXT NOT NULL, rule TEXT, field TEXT, reason TEXT, batch_id INTEGER,
                  tx_hash TEXT, block_number INTEGER, updated_at INTEGER NOT NULL, cert_exporter TEXT, cert_number TEXT);
                CREATE INDEX records_status ON records(status, kind, id);
                CREATE INDEX records_hash ON records(record_hash);
                CREATE INDEX records_certificate ON records(cert_number, cert_exporter) WHERE cert_number IS NOT NULL;
                CREATE TABLE documents (id INTEGER PRIMARY KEY, document BLOB NOT NULL);
                CREATE TABLE batches (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, status TEXT NOT NULL, record_count INTEGER NOT NULL,
                  tx_hash TEXT, block_number INTEGER, gas_used INTEGER, created_at INTEGER NOT NULL);
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                INSERT INTO records (intake_key, source, received_at, kind, record_hash, status, updated_at) VALUES ('k1', 'p.json', 1, 'parcel', $ph, 'confirmed', 1);
                INSERT INTO documents (id, document) VALUES (1, $p);
                PRAGMA user_version = 2;
                """;
            c.Parameters.AddWithValue("$p", Encoding.UTF8.GetBytes(RecordJson.Write(AParcel)));
            c.Parameters.AddWithValue("$ph", AParcel.Hash().ToString());
            c.ExecuteNonQuery();
        }
        using (var store = new RecordStore(path))
        {
            Assert.Equal(1, store.ByHash(AParcel.Hash().ToString().ToUpperInvariant()).Single().Id);
            Assert.Equal(new Dictionary<Hash32, long> { [AParcel.Hash()] = 1 }, store.Accepted([AParcel.Hash(), other.Hash()]));
            Assert.Equal([AParcel.Hash()], store.InFlight([AParcel.Hash(), other.Hash()]));
            Assert.Equal(RecordStage.Rejected, store.Receive([Checked("again.json", AParcel)])[0].Stage); // a duplicate, found by its key
        }
        Assert.Contains("USING INDEX records_hash_key", Plan(path, $"SELECT id FROM records WHERE {RecordStore.HashKey.Replace("$h", "'" + AParcel.Hash() + "'", StringComparison.Ordinal)}"));
        using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        check.Open();
        using var names = check.CreateCommand();
        names.CommandText = "SELECT group_concat(name) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records'";
        var all = (string)names.ExecuteScalar()!;
        Assert.Contains("records_hash_key", all);
        Assert.DoesNotContain("records_hash,", all + ",");
    }

    [Fact]
    public void A_store_with_its_documents_in_the_records_table_moves_them_out_and_keeps_every_record()
    {
        var path = NewPath();
        var cert = SampleRecords.Certificate("BW", "AE", [AParcel.Hash()], number: "KP-0042");
        using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            old.Open();
            using var c = old.CreateCommand();
            // the schema of version 1: documents beside the status, certificates indexed
            c.CommandText = """
                CREATE TABLE records (id INTEGER PRIMARY KEY AUTOINCREMENT, intake_key TEXT NOT NULL UNIQUE, source TEXT NOT NULL, document BLOB NOT NULL,
                  received_at INTEGER NOT NULL, kind TEXT, record_hash TEXT, status TEXT NOT NULL, rule TEXT, field TEXT, reason TEXT, batch_id INTEGER,
                  tx_hash TEXT, block_number INTEGER, updated_at INTEGER NOT NULL, cert_exporter TEXT, cert_number TEXT);
                CREATE INDEX records_status ON records(status, kind, id);
                CREATE INDEX records_hash ON records(record_hash);
                CREATE INDEX records_certificate ON records(cert_number, cert_exporter) WHERE cert_number IS NOT NULL;
                CREATE TABLE batches (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, status TEXT NOT NULL, record_count INTEGER NOT NULL,
                  tx_hash TEXT, block_number INTEGER, gas_used INTEGER, created_at INTEGER NOT NULL);
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                INSERT INTO records (intake_key, source, document, received_at, kind, record_hash, status, updated_at, cert_exporter, cert_number)
                  VALUES ('k1', 'cert.json', $c, 1, 'certificate', $ch, 'confirmed', 1, 'BW', 'KP-0042'), ('k2', 'p.json', $p, 2, 'parcel', $ph, 'pending', 2, NULL, NULL),
                  ('k3', 'new.json', x'7b317d', 3, NULL, NULL, 'received', 3, NULL, NULL);
                PRAGMA user_version = 1;
                """;
            c.Parameters.AddWithValue("$c", Encoding.UTF8.GetBytes(RecordJson.Write(cert)));
            c.Parameters.AddWithValue("$ch", cert.Hash().ToString());
            c.Parameters.AddWithValue("$p", Encoding.UTF8.GetBytes(RecordJson.Write(AParcel)));
            c.Parameters.AddWithValue("$ph", AParcel.Hash().ToString());
            c.ExecuteNonQuery();
        }
        using (var store = new RecordStore(path))
        {
            var found = store.Certificate(cert.Exporter, "KP-0042", RecordStage.Confirmed)!;
            Assert.Equal(RecordJson.Write(cert), Encoding.UTF8.GetString(found.Document));
            Assert.Equal(RecordJson.Write(AParcel), Encoding.UTF8.GetString(store.WithStatus(RecordStage.Pending, 10).Single().Document));
            Assert.Equal("{1}", Encoding.UTF8.GetString(store.WithStatus(RecordStage.Received, 10).Single().Document));
            var known = store.Receive([new IncomingDocument("new.json", "{1}"u8.ToArray(), Key: "k3")])[0];
            Assert.Equal((3L, false), (known.Id, known.IsNew)); // its key still known
            var added = store.Receive([Doc("later.json", "{2}")])[0];
            Assert.True(added.IsNew && added.Id > 3);
            Assert.Equal("{2}", Encoding.UTF8.GetString(store.ById(added.Id)!.Document));
        }
        using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        check.Open();
        using var columns = check.CreateCommand();
        columns.CommandText = "SELECT (SELECT COUNT(*) FROM pragma_table_info('records') WHERE name = 'document'), (SELECT COUNT(*) FROM documents)";
        using var r = columns.ExecuteReader();
        r.Read();
        Assert.Equal((0L, 4L), (r.GetInt64(0), r.GetInt64(1)));
    }

    [Fact]
    public void A_status_change_leaves_the_document_as_it_was_stored()
    {
        using var store = new RecordStore(NewPath());
        var id = store.Receive([Doc("a.json", "{1}")])[0].Id;
        store.MarkPending([(id, AParcel, H('a'))]);
        var batch = store.StartBatch(RecordKind.Parcel, [id]);
        store.BatchConfirmed(batch, "0x" + new string('b', 64), 7, 21_000);
        var record = store.ById(id)!;
        Assert.Equal((RecordStage.Confirmed, "{1}"), (record.Stage, Encoding.UTF8.GetString(record.Document)));
        Assert.Equal(id, store.Accepted([H('a')])[H('a')]);
        Assert.Empty(store.Accepted([H('c')]));
        Assert.Empty(store.Accepted([]));
    }

    [Fact]
    public void The_store_is_readable_by_its_owner_only()
    {
        var path = NewPath();
        using var store = new RecordStore(path);
        store.Receive([Doc("a.json", "{1}")]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }
}
