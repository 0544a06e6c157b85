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
    public void The_typical_queries_answer_within_a_second_at_the_replays_size()
    {
        var path = Path.Combine(Temp(), "sample.sqlite");
        var clock = Stopwatch.StartNew();
        using (var store = IndexStore.Open(path, create: true)) IndexSample.Generate(store, parcels: 600_000, certificates: 60_000, year: 2023);
        log.WriteLine($"generated 600,000 parcels and 60,000 certificates in {clock.Elapsed.TotalSeconds:0.0} s, {new FileInfo(path).Length / 1e6:0} MB");

        using var index = IndexStore.Open(path, create: false);
        var measures = new List<(string Query, double Wall, double Cpu, int Rows)>();
        void Measure(string name, Func<int> query)
        {
            query(); // warm the page cache, as a second question would find it
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            var rows = query();
            measures.Add((name, wall.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, rows));
        }
        Measure("flows by pair and quarter, 2023", () => IndexQueries.Flows(index, 2023).Count);
        Measure("flows of one pair by quarter", () => IndexQueries.Flows(index, 2023, "BW", "AE").Count);
        Measure("origin parcels by participant and quarter", () => IndexQueries.Origins(index, 2023).Count);
        var (exporter, number) = AnyCertificate(index);
        Measure("parcels of one certificate", () => IndexQueries.ParcelsOf(index, exporter, number).Count);
        foreach (var m in measures) log.WriteLine($"{m.Query}: {m.Rows} rows, {m.Wall * 1000:0} ms wall, {m.Cpu * 1000:0} ms CPU");

        var flows = IndexQueries.Flows(index, 2023);
        Assert.Equal(60_000, flows.Sum(f => f.Certificates));
        Assert.Equal(600_000, flows.Sum(f => f.Parcels));
        Assert.Equal(600_000, IndexQueries.Origins(index, 2023).Sum(o => o.Parcels));
        Assert.Equal(10, IndexQueries.ParcelsOf(index, exporter, number).Count);
        // the bound is CPU time (the machine is shared): under a second each
        Assert.All(measures, m => Assert.True(m.Cpu < 1.0, $"{m.Query}: {m.Cpu:0.000} s CPU"));
    }

    private static (string, byte[]) AnyCertificate(IndexStore index)
    {
        using var cmd = index.Connection.CreateCommand();
        cmd.CommandText = "SELECT exporter, number_hash FROM certificates LIMIT 1";
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        return (r.GetString(0), (byte[])r[1]);
    }
}
