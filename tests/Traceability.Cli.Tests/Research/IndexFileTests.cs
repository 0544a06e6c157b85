using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Traceability.Core.Json;
using Traceability.Core.Primitives;
using Traceability.Lab.Index;
using Traceability.Lab.Statistics;
using Traceability.Testing;
using Xunit.Abstractions;

namespace Traceability.Cli.Tests.Research;

/// <summary>kp index and kp stats on hostile or absent index files (no chain needed: the file is judged before the chain is asked), and the index's typical queries at the replay's size.</summary>
[Trait("Category", "Fast")]
public sealed class IndexFileTests(ITestOutputHelper log)
{
    private static string Temp() => Directory.CreateTempSubdirectory("kp-index-file-").FullName;

    private static async Task<(int Exit, JsonElement Error)> FailAsync(params string[] args)
    {
        var r = await new Kp(new() { ["KP_HOME"] = Temp() }).RunAsync([.. args, "--json", "--rpc", "http://127.0.0.1:1", "--registry", "0x" + new string('1', 40)]);
        Assert.True(r.ExitCode != 0, r.ToString());
        Assert.Empty(r.Out);
        JsonSchemas.AssertValid("error", r.Err, string.Join(' ', args));
        return (r.ExitCode, JsonDocument.Parse(r.Err).RootElement.GetProperty("error"));
    }

    public static TheoryData<string> HostileFiles() => ["text", "empty", "foreign sqlite", "folder", "future schema", "truncated", "trigger", "view"];

    [Theory]
    [MemberData(nameof(HostileFiles))]
    public async Task A_file_that_is_not_a_kp_index_is_refused_naming_db_and_left_as_it_was(string kind)
    {
        var path = Path.Combine(Temp(), "index.sqlite");
        switch (kind)
        {
            case "text": File.WriteAllText(path, "not a database at all, but long enough to have a header"); break;
            case "empty": File.WriteAllBytes(path, []); break;
            case "folder": Directory.CreateDirectory(path); break;
            case "foreign sqlite":
                using (var c = new SqliteConnection($"Data Source={path};Pooling=false"))
                {
                    c.Open();
                    using var cmd = c.CreateCommand();
                    cmd.CommandText = "CREATE TABLE customers (id INTEGER)";
                    cmd.ExecuteNonQuery();
                }
                break;
            case "future schema":
                using (var s = IndexStore.Open(path, create: true)) s.SetMeta("schema", "kp-index-99");
                break;
            case "trigger": // a kp index that would rewrite what kp index writes into it
                using (var s = IndexStore.Open(path, create: true))
                using (var cmd = s.Connection.CreateCommand())
                {
                    cmd.CommandText = "CREATE TRIGGER rewrite AFTER INSERT ON confirmations BEGIN UPDATE confirmations SET importer = 'XX'; END";
                    cmd.ExecuteNonQuery();
                }
                break;
            case "view":
                using (var s = IndexStore.Open(path, create: true))
                using (var cmd = s.Connection.CreateCommand())
                {
                    cmd.CommandText = "CREATE VIEW flows AS SELECT * FROM certificates";
                    cmd.ExecuteNonQuery();
                }
                break;
            case "truncated":
                using (var s = IndexStore.Open(path, create: true)) s.SetMeta("chainId", "31337");
                var bytes = File.ReadAllBytes(path);
                File.WriteAllBytes(path, bytes[..100]); // the header survives, the pages do not
                break;
        }
        var before = File.Exists(path) ? File.ReadAllBytes(path) : null;
        foreach (var command in new[] { "index", "stats" })
        {
            var (exit, error) = await FailAsync(command, "--db", path);
            Assert.Equal(2, exit);
            Assert.Equal("--db", error.GetProperty("field").GetString());
            Assert.Contains(path, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        if (before is not null) Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task Stats_without_an_index_says_to_run_kp_index_and_index_creates_none_on_bad_usage()
    {
        var dir = Temp();
        var (exit, error) = await FailAsync("stats", "--db", Path.Combine(dir, "none.sqlite"));
        Assert.Equal(3, exit);
        Assert.Contains("kp index", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir, "none.sqlite")));

        var (badBlock, field) = await FailAsync("index", "--db", Path.Combine(dir, "i.sqlite"), "--from-block", "4x");
        Assert.Equal(2, badBlock);
        Assert.Equal("--from-block", field.GetProperty("field").GetString());
        Assert.False(File.Exists(Path.Combine(dir, "i.sqlite")));
    }

    [Fact]
    public async Task Stats_skips_what_is_not_a_regular_kp_document_and_counts_documents_not_on_chain_apart()
    {
        var dir = Temp();
        var db = Path.Combine(dir, "index.sqlite");
        IndexStore.Open(db, create: true).Dispose();
        var docs = Directory.CreateDirectory(Path.Combine(dir, "docs")).FullName;
        var parcel = RecordJson.Write(SampleRecords.OriginParcel("BW", 100_000));
        File.WriteAllText(Path.Combine(docs, "parcel.json"), parcel);
        File.WriteAllText(Path.Combine(docs, "broken.json"), "{");
        File.WriteAllText(Path.Combine(docs, "deployment.json"), """{"address":"0x0000000000000000000000000000000000000001"}""");
        File.WriteAllText(Path.Combine(docs, "lines.jsonl"), JsonSerializer.Serialize(JsonDocument.Parse(parcel).RootElement) + "\nnot json\n\n");
        File.CreateSymbolicLink(Path.Combine(docs, "link.json"), Path.Combine(docs, "parcel.json"));
        using (var mkfifo = Process.Start("mkfifo", Path.Combine(docs, "pipe.json"))) await mkfifo.WaitForExitAsync();

        var r = await new Kp().RunAsync("stats", "--db", db, "--documents", docs, "--json");
        Assert.Equal(0, r.ExitCode);
        var inputs = JsonDocument.Parse(r.Out).RootElement.GetProperty("inputs");
        Assert.Equal(4, inputs.GetProperty("files").GetInt32()); // a symbolic link is not followed, a FIFO never opened
        Assert.Equal(2, inputs.GetProperty("documents").GetInt32());
        Assert.Equal(2, inputs.GetProperty("notOnChain").GetInt32());
        Assert.Equal(0, inputs.GetProperty("counted").GetInt32());
        Assert.Equal(4, inputs.GetProperty("skipped").GetInt32()); // broken, deployment, the line that is not JSON, the FIFO

        var (exit, error) = await FailAsync("stats", "--db", db, "--documents", Path.Combine(dir, "nowhere"));
        Assert.Equal(2, exit);
        Assert.Equal("--documents", error.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Stats_refuses_a_documents_line_over_the_document_limit_naming_the_file_and_the_line()
    {
        // a .jsonl line is read whole before it is parsed: without a cap one line of gigabytes would be read into memory
        var dir = Temp();
        var db = Path.Combine(dir, "index.sqlite");
        IndexStore.Open(db, create: true).Dispose();
        var docs = Directory.CreateDirectory(Path.Combine(dir, "docs")).FullName;
        var parcel = JsonSerializer.Serialize(JsonDocument.Parse(RecordJson.Write(SampleRecords.OriginParcel("BW", 100_000))).RootElement);
        var lines = Path.Combine(docs, "bulk.jsonl");
        File.WriteAllText(lines, parcel + "\n" + "{\"padding\":\"" + new string('x', RecordJson.MaxDocumentBytes) + "\"}\n" + parcel + "\n");

        var (exit, error) = await FailAsync("stats", "--db", db, "--documents", docs);
        Assert.Equal(2, exit);
        Assert.Equal("--documents", error.GetProperty("field").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains(lines, message, StringComparison.Ordinal);
        Assert.Contains("line 2", message, StringComparison.Ordinal);

        // a line of exactly the limit is read (and, not being a KP document, skipped and counted)
        File.WriteAllText(lines, parcel + "\n" + "{\"padding\":\"" + new string('x', RecordJson.MaxDocumentBytes - 14) + "\"}\n");
        Assert.Equal(RecordJson.MaxDocumentBytes + parcel.Length + 2, new FileInfo(lines).Length);
        var r = await new Kp().RunAsync("stats", "--db", db, "--documents", docs, "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var inputs = JsonDocument.Parse(r.Out).RootElement.GetProperty("inputs");
        Assert.Equal(1, inputs.GetProperty("documents").GetInt32());
        Assert.Equal(1, inputs.GetProperty("skipped").GetInt32());
    }

    public static TheoryData<string> DamagedBlocks() => ["a block hash that is text", "a block hash that is not 32 bytes", "a last block that is not a number"];

    [Theory]
    [MemberData(nameof(DamagedBlocks))]
    public async Task An_index_whose_blocks_are_not_as_kp_writes_them_is_refused_as_damaged(string kind)
    {
        var path = Path.Combine(Temp(), "index.sqlite");
        using (var s = IndexStore.Open(path, create: true))
        {
            using (var w = s.BeginRound())
            {
                w.Block(new IndexedBlock(1, IndexStore.Hex(new byte[32]), 1_700_000_000));
                w.Commit(1);
            }
            using var cmd = s.Connection.CreateCommand();
            cmd.CommandText = kind switch
            {
                "a block hash that is text" => "UPDATE blocks SET hash = 'not a hash'",
                "a block hash that is not 32 bytes" => "UPDATE blocks SET hash = x'0102'",
                _ => "UPDATE meta SET value = 'one' WHERE key = 'indexedTo'",
            };
            cmd.ExecuteNonQuery();
        }
        foreach (var command in new[] { "index", "stats" })
        {
            var (exit, error) = await FailAsync(command, "--db", path);
            Assert.Equal(2, exit);
            Assert.Equal("--db", error.GetProperty("field").GetString());
            var message = error.GetProperty("message").GetString()!;
            Assert.Contains(path, message, StringComparison.Ordinal);
            Assert.Contains("damaged", message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://127.0.0.1/x\",\"BW\")")]
    [InlineData("<script>alert(1)</script>")]
    public async Task Stats_refuses_an_index_whose_participant_is_not_a_participant_code_before_writing_a_report(string forged)
    {
        // a crafted index: a confirmation's importer is a spreadsheet formula or markup, which would flow into the CSV files, the charts and the HTML
        var dir = Temp();
        var db = Path.Combine(dir, "index.sqlite");
        var confirmation = SampleRecords.Confirmation(SampleRecords.Certificate("BW", "AE", [SampleRecords.OriginParcel("BW").Hash()]));
        using (var s = IndexStore.Open(db, create: true))
        using (var w = s.BeginRound())
        {
            var mark = new LogMark(1, 0, new byte[32], 1_700_000_000);
            w.Confirmation(mark, "BW", Keccak.Hash(confirmation.CertificateNumber).ToArray(), forged, confirmation.Hash().ToArray(), "0x03");
            w.Block(new IndexedBlock(1, IndexStore.Hex(new byte[32]), 1_700_000_000));
            w.Commit(1);
        }
        var docs = Directory.CreateDirectory(Path.Combine(dir, "docs")).FullName;
        File.WriteAllText(Path.Combine(docs, "confirmation.json"), RecordJson.Write(confirmation));
        var report = Path.Combine(dir, "report");
        var (exit, error) = await FailAsync("stats", "--db", db, "--documents", docs, "--out", report);
        Assert.Equal(2, exit);
        Assert.Equal("--db", error.GetProperty("field").GetString());
        Assert.Contains("participant", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(report));
    }

    [Fact]
    public void A_participant_that_a_spreadsheet_would_run_as_a_formula_is_written_as_text_in_the_CSV()
    {
        var line = new ParticipantLine("=HYPERLINK(\"http://127.0.0.1/x\")", new Period(2026, 0), Flow.Zero, Flow.Zero, Flow.Zero, null);
        var report = new StatisticsReport(2026, new StatisticsInputs(0, 0, 0, 0, 0, 0, 0, 0), [line], [], [], [], new StatisticsOptions());
        var folder = Temp();
        StatisticsFiles.Write(report, folder);
        var csv = File.ReadAllLines(Path.Combine(folder, "participants.csv"));
        Assert.StartsWith("\"'=HYPERLINK(", csv[1], StringComparison.Ordinal);
    }

    [Fact]
    public void The_typical_queries_answer_from_an_index_and_each_reads_through_its_indexes()
    {
        // the answers at a small size; the speed at the replay's (600,000 parcels) is a benchmark's, kp bench index, not a timed test.
        // An index holds no statistics (no ANALYZE), so SQLite plans a query the same at any size: the plan checked here is the one at 600,000.
        var path = Path.Combine(Temp(), "sample.sqlite");
        using (var store = IndexStore.Open(path, create: true)) IndexSample.Generate(store, parcels: 20_000, certificates: 2_000, year: 2023);
        using var index = IndexStore.Open(path, create: false);

        var flows = IndexQueries.Flows(index, 2023);
        Assert.Equal(2_000, flows.Sum(f => f.Certificates));
        Assert.Equal(20_000, flows.Sum(f => f.Parcels));
        Assert.Equal(index.Count("confirmations"), flows.Sum(f => f.Confirmed));
        Assert.Equal(index.Count("voids"), flows.Sum(f => f.Voided));
        Assert.All(flows, f => Assert.True(f.Confirmed + f.Voided <= f.Certificates, f.ToString()));
        var pair = IndexQueries.Flows(index, 2023, "BW", "AE");
        Assert.NotEmpty(pair);
        Assert.Equal(flows.Where(f => (f.Exporter, f.Importer) == ("BW", "AE")), pair);
        Assert.Empty(IndexQueries.Flows(index, 2024));
        Assert.Equal(20_000, IndexQueries.Origins(index, 2023).Sum(o => o.Parcels));
        var (exporter, number) = IndexQueries.AnyCertificate(index)!.Value;
        var carried = IndexQueries.ParcelsOf(index, exporter, number);
        Assert.InRange(carried.Count, 1, 10); // ten drawn, a parcel drawn twice counted once
        Assert.All(carried, p => Assert.Null(p.Transformation));

        foreach (var (name, sql) in IndexQueries.Typical)
        {
            var plan = IndexQueries.Plan(index, sql);
            log.WriteLine($"{name}: {string.Join("; ", plan)}");
            // the large tables (parcels, certificates, their parcels, confirmations) are searched through an index, never read whole; the one whole
            // table read is voids (alias v): the fewest rows, the outer loop of its join, where each void finds its certificate by key
            Assert.Contains(plan, step => step.StartsWith("SEARCH ", StringComparison.Ordinal) && step.Contains(" USING ", StringComparison.Ordinal));
            var whole = plan.Where(step => step.StartsWith("SCAN ", StringComparison.Ordinal) && !step.Contains(" USING ", StringComparison.Ordinal)).Select(step => step.Split(' ')[1]);
            Assert.All(whole, table => Assert.Equal("v", table));
        }
    }

}
