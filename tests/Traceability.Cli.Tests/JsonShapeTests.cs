using System.Globalization;
using System.Text.Json;
using Traceability.Core.Json;
using Traceability.Core.Primitives;
using Traceability.Testing;
using static Traceability.Cli.Tests.KpStory;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Cli.Tests;

/// <summary>
/// One machine shape for kp --json: every command, run with --json on a deployed story, writes exactly one JSON
/// document to standard output that its schema in docs/schemas/ accepts; every command's failure with --json is
/// one error document on standard error (error.schema.json), with nothing on standard output.
/// </summary>
[Trait("Category", "Chain")]
[Collection("hardhat")]
public sealed class JsonShapeTests(JsonShapeTests.Story story) : IClassFixture<JsonShapeTests.Story>
{
    /// <summary>A run of kp: the command it exercises (its schema), and its arguments from the story so far (--json is added).</summary>
    private sealed record Case(string Command, Func<Story, string[]> Args, int Exit = 0);

    private static string Acct(int index) => index.ToString(CultureInfo.InvariantCulture);

    private const string Certificate = "BW2026-000001";

    private static string[] NewParcel(Story s, string name, string carats, string mine = "Jwaneng") =>
        ["new", "parcel", "--participant", "BW", "--mine", mine, "--carats", carats, "--value-usd", "1000", "--id", name.ToUpperInvariant(), "--out", s.PathOf(name + ".json")];

    private static string[] NewCertificate(Story s, string number, string parcel, string file) =>
        ["new", "certificate", "--number", number, "--exporter", "BW", "--importer", "AE", "--parcels", s.PathOf(parcel),
            "--authority-name", "Ministry of Minerals and Energy", "--exporter-name", "ODC, Gaborone", "--importer-name", "Rough DMCC, Dubai", "--out", s.PathOf(file)];

    /// <summary>kp cert attach-signature of cert3.json with the signature kp cert issue --sign-only wrote to signed.json, as a wallet's would be.</summary>
    private static string[] AttachSignature(Story s, params string[] more)
    {
        using var signed = JsonDocument.Parse(File.ReadAllText(s.PathOf("signed.json")));
        var a = signed.RootElement.GetProperty("authorization");
        return ["cert", "attach-signature", s.PathOf("cert3.json"), "--signature", a.GetProperty("signature").GetString()!,
            "--deadline", a.GetProperty("deadline").GetUInt64().ToString(CultureInfo.InvariantCulture), "--authority", a.GetProperty("authority").GetString()!, .. more];
    }

    /// <summary>The story, in order: each run's output is checked against its command's schema. The names are the test cases'.</summary>
    private static readonly (string Name, Case Case)[] Successes =
    [
        ("new parcel", new("new parcel", s => NewParcel(s, "p1", "1000"))),
        ("new parcel to standard output", new("new parcel", _ => ["new", "parcel", "--participant", "BW", "--carats", "5"])),
        ("new parcel p2", new("new parcel", s => NewParcel(s, "p2", "1000"))),
        ("new parcel p3", new("new parcel", s => NewParcel(s, "p3", "800", mine: ""))),
        ("new parcel p4", new("new parcel", s => NewParcel(s, "p4", "300"))),
        ("new parcel p5", new("new parcel", s => NewParcel(s, "p5", "200"))),
        ("parcel register", new("parcel register", s => ["parcel", "register", s.PathOf("p1.json"), s.PathOf("p2.json"), s.PathOf("p4.json"), s.PathOf("p5.json"), "--account", Acct(BwMiner)])),
        ("new transformation", new("new transformation", s => ["new", "transformation", "--participant", "BW", "--operation", "sort",
            "--inputs", s.PathOf("p2.json"), "--outputs", s.PathOf("p3.json"), "--out", s.PathOf("t.json")])),
        ("parcel transform", new("parcel transform", s => ["parcel", "transform", s.PathOf("t.json"), "--inputs", s.PathOf("p2.json"), "--outputs", s.PathOf("p3.json"), "--account", Acct(BwMiner)])),
        ("new certificate", new("new certificate", s => NewCertificate(s, Certificate, "p1.json", "cert.json"))),
        ("new certificate to void", new("new certificate", s => NewCertificate(s, "BW2026-000002", "p4.json", "cert2.json"))),
        ("new certificate to relay", new("new certificate", s => NewCertificate(s, "BW2026-000003", "p5.json", "cert3.json"))),
        ("new confirmation", new("new confirmation", s => ["new", "confirmation", s.PathOf("cert.json"), "--authority-name", "UAE KP Office", "--out", s.PathOf("conf.json")])),
        ("cert issue", new("cert issue", s => ["cert", "issue", s.PathOf("cert.json"), "--account", Acct(BwAuthority)])),
        ("cert confirm", new("cert confirm", s => ["cert", "confirm", s.PathOf("cert.json"), s.PathOf("conf.json"), "--account", Acct(AeAuthority)])),
        ("cert issue to void", new("cert issue", s => ["cert", "issue", s.PathOf("cert2.json"), "--account", Acct(BwAuthority)])),
        ("cert void", new("cert void", s => ["cert", "void", s.PathOf("cert2.json"), "--account", Acct(BwAuthority)])),
        ("cert issue --sign-only --out", new("cert issue", s => ["cert", "issue", s.PathOf("cert3.json"), "--sign-only", "--out", s.PathOf("signed.json"), "--account", Acct(BwAuthority)])),
        ("cert issue --sign-only", new("cert issue", s => ["cert", "issue", s.PathOf("cert3.json"), "--sign-only", "--account", Acct(BwAuthority)])),
        ("cert issue --sign-only --typed-data", new("cert issue", s => ["cert", "issue", s.PathOf("cert3.json"), "--sign-only", "--typed-data"])),
        ("cert issue --sign-only --typed-data --out", new("cert issue", s => ["cert", "issue", s.PathOf("cert3.json"), "--sign-only", "--typed-data", "--out", s.PathOf("typed.json")])),
        ("cert attach-signature --out", new("cert attach-signature", s => AttachSignature(s, "--out", s.PathOf("attached.json")))),
        ("cert attach-signature", new("cert attach-signature", s => AttachSignature(s))),
        ("cert relay", new("cert relay", s => ["cert", "relay", s.PathOf("signed.json"), "--account", Acct(Relayer)])),
        ("verify", new("verify", s => ["verify", s.PathOf("cert.json")])),
        ("verify with lineage", new("verify", s => ["verify", s.PathOf("p3.json"), "--ancestors", s.PathOf("t.json"), s.PathOf("p2.json")])),
        ("flag", new("flag", _ => ["flag", "Certificate", Certificate, "--level", "Suspicious", "--category", "Smuggling", "--reason", "case 17"])),
        ("merkle leaves", new("merkle leaves", s => ["merkle", "leaves", s.PathOf("p1.json"), s.PathOf("p2.json")])),
        ("epcis hash", new("epcis hash", _ => ["epcis", "hash", RepoPaths.Under("data", "epcis", "hash-vectors", "epcisDocWithShippingAndTransportingEvent.jsonld")])),
        ("epcis hash --prehash", new("epcis hash", _ => ["epcis", "hash", RepoPaths.Under("data", "epcis", "hash-vectors", "TimeStampRoundOff.jsonld"), "--prehash"])),
        ("merkle root", new("merkle root", s => ["merkle", "root", s.Leaves()])),
        ("merkle proof", new("merkle proof", s => ["merkle", "proof", s.Leaves(), "0"])),
        ("anchor", new("anchor", s => ["anchor", s.Leaves(), "--account", Acct(BwMiner)])),
        ("anchor check", new("anchor check", s => ["anchor", "check", s.Json("merkle root").GetProperty("root").GetString()!, s.Json("merkle proof").GetProperty("leaf").GetString()!, s.Proof()])),
        ("epcis export", new("epcis export", s => ["epcis", "export", s.PathOf("p1.json"), s.PathOf("p2.json"), s.PathOf("p3.json"), s.PathOf("t.json"), s.PathOf("cert.json"), s.PathOf("conf.json"), "--out", s.PathOf("trade.jsonld")])),
        ("epcis export --onchain", new("epcis export", s => ["epcis", "export", s.PathOf("p1.json"), s.PathOf("p3.json"), s.PathOf("cert2.json"), s.PathOf("cert3.json"), "--onchain", "--out", s.PathOf("onchain.jsonld")])),
        ("epcis import", new("epcis import", s => ["epcis", "import", s.PathOf("trade.jsonld"), "--out", s.PathOf("imported")])),
        ("anchor --epcis", new("anchor", s => ["anchor", "--epcis", s.PathOf("trade.jsonld"), "--account", Acct(BwMiner)])),
        ("anchor check --epcis", new("anchor check", s => ["anchor", "check", "--epcis", s.PathOf("trade.jsonld"), "3"])),
        ("participant add", new("participant add", _ => ["participant", "add", "CF"])),
        ("participant suspend", new("participant suspend", _ => ["participant", "suspend", "CF"])),
        ("participant reinstate", new("participant reinstate", _ => ["participant", "reinstate", "CF"])),
        ("authority add", new("authority add", _ => ["authority", "add", "CF", A(CfAuthority)])),
        ("authority remove", new("authority remove", _ => ["authority", "remove", A(CfAuthority)])),
        ("member add", new("member add", _ => ["member", "add", A(BwTrader), "--account", Acct(BwAuthority)])),
        ("member remove", new("member remove", _ => ["member", "remove", A(BwTrader), "--account", Acct(BwAuthority)])),
        ("participant list", new("participant list", _ => ["participant", "list"])),
        ("participant show", new("participant show", _ => ["participant", "show", "BW"])),
        ("authority list", new("authority list", _ => ["authority", "list"])),
        ("member list", new("member list", _ => ["member", "list", "BW"])),
        ("parcel status", new("parcel status", s => ["parcel", "status", s.PathOf("p1.json")])),
        ("parcel status by hash", new("parcel status", s => ["parcel", "status", s.HashOf("p3.json")])),
        ("cert status", new("cert status", _ => ["cert", "status", Certificate])),
        ("cert history", new("cert history", _ => ["cert", "history", Certificate])),
        ("cert print", new("cert print", s => ["cert", "print", s.PathOf("cert.json"), "--out", s.PathOf("cert.pdf"), "--portal-url", "https://portal.kp.example"])),
        ("hash", new("hash", s => ["hash", s.PathOf("cert.json")])),
        ("hash --typed-data", new("hash", s => ["hash", s.PathOf("p1.json"), "--typed-data"])),
        ("salt", new("salt", _ => ["salt"])),
        ("whoami", new("whoami", _ => ["whoami", "--account", Acct(BwAuthority)])),
        ("chain status", new("chain status", _ => ["chain", "status"])),
        ("chain deploy", new("chain deploy", s => ["chain", "deploy", "--rpc", s.RpcUrl, "--out", s.PathOf("other-deployment.json")])),
        ("submit", new("submit", s => ["submit", s.PathOf("p1.json"), "--service-dir", s.PathOf("service")])),
        ("status", new("status", s => ["status", "--service-dir", s.PathOf("service")])),
        // received, not yet validated by a running service (which sets its hash): none found, exit 1, an empty list
        ("status by hash", new("status", s => ["status", s.HashOf("p1.json"), "--service-dir", s.PathOf("service")], Exit: 1)),
        ("network add", new("network add", _ => ["network", "add", "besu", "--rpc", "http://127.0.0.1:1"])),
        ("network list", new("network list", _ => ["network", "list"])),
        ("account add", new("account add", _ => ["account", "add", "bw-authority", "--index", Acct(BwAuthority), "--role", "BW authority"])),
        ("account list", new("account list", _ => ["account", "list"])),
        ("config show", new("config show", _ => ["config", "show"])),
        ("chain up", new("chain up", _ => ["chain", "up", "--port", "0"])),
        ("chain down", new("chain down", s => ["chain", "down", "--port", s.Json("chain up").GetProperty("port").GetInt32().ToString(CultureInfo.InvariantCulture)])),
        ("demo", new("demo", s => ["demo", "--out", s.PathOf("demo")])),
        ("demo --parties", new("demo", s => ["demo", "--parties", "--parcels", "10", "--out", s.PathOf("parties")])),
        ("bench anchor", new("bench anchor", _ => ["bench", "anchor", "--records", "2", "--batch", "2"])),
        ("bench verify", new("bench verify", _ => ["bench", "verify", "--requests", "3", "--concurrency", "2"])),
        ("bench index", new("bench index", _ => ["bench", "index", "--parcels", "200", "--certificates", "20", "--runs", "1"])),
        ("research simulate", new("research simulate", _ => ["research", "simulate", "--certificates", "1", "--parcels", "1", "--producers", "1"])),
        ("index", new("index", s => ["index", "--db", s.PathOf("index.sqlite")])),
        ("stats", new("stats", s => ["stats", "--db", s.PathOf("index.sqlite"), "--documents", s.PathOf("")])),
        ("research replay", new("research replay", s => ["research", "replay", "--scale", "0.0001", "--out", s.PathOf("replay")])),
    ];

    /// <summary>A failure of every command (a bad value, a missing file, a record not on chain), after the story.</summary>
    private static readonly (string Name, Case Case)[] Failures =
    [
        ("chain up", new("chain up", _ => ["chain", "up", "--port", "70000"])),
        ("chain down", new("chain down", _ => ["chain", "down", "--port", "-1"])),
        ("chain deploy", new("chain deploy", s => ["chain", "deploy", "--rpc", s.RpcUrl, "--governor", "0x12", "--out", s.PathOf("never.json")])),
        ("chain status", new("chain status", s => ["chain", "status", "--deployment", s.PathOf("missing.json")])),
        ("config show", new("config show", _ => ["config", "show", "--network", "nosuch"])),
        ("network list", new("network list", _ => ["network", "list", "--bogus"])),
        ("network add", new("network add", _ => ["network", "add", "1bad", "--rpc", "http://127.0.0.1:1"])),
        ("account list", new("account list", _ => ["account", "list", "--bogus"])),
        ("account add", new("account add", _ => ["account", "add", "nokey"])),
        ("whoami", new("whoami", _ => ["whoami", "--account", "nosuch"])),
        ("participant add", new("participant add", _ => ["participant", "add", "XYZ"])),
        ("participant suspend", new("participant suspend", _ => ["participant", "suspend", "x1"])),
        ("participant reinstate", new("participant reinstate", _ => ["participant", "reinstate", "12"])),
        ("participant list", new("participant list", _ => ["participant", "list", "--rpc", "not a url"])),
        ("participant show", new("participant show", _ => ["participant", "show", "ZZ"])),
        ("authority add", new("authority add", _ => ["authority", "add", "BW", "0x123"])),
        ("authority remove", new("authority remove", _ => ["authority", "remove", "nothex"])),
        ("authority list", new("authority list", _ => ["authority", "list", "ZZ"])),
        ("member add", new("member add", _ => ["member", "add", "0x12"])),
        ("member remove", new("member remove", _ => ["member", "remove", "0x12"])),
        ("member list", new("member list", _ => ["member", "list", "1"])),
        ("flag", new("flag", _ => ["flag", "Parcel", "0x12", "--reason", "x"])),
        ("parcel register", new("parcel register", s => ["parcel", "register", s.PathOf("missing.json")])),
        ("parcel transform", new("parcel transform", s => ["parcel", "transform", s.PathOf("missing.json")])),
        ("parcel status", new("parcel status", _ => ["parcel", "status", "0x12"])),
        ("anchor", new("anchor", s => ["anchor", s.PathOf("missing.txt")])),
        ("anchor check", new("anchor check", s => ["anchor", "check", "0x1", "0x2", s.Proof()])),
        ("cert issue", new("cert issue", s => ["cert", "issue", s.PathOf("missing.json")])),
        ("cert relay", new("cert relay", s => ["cert", "relay", s.PathOf("cert.json")])),
        ("cert attach-signature", new("cert attach-signature", s => ["cert", "attach-signature", s.PathOf("cert.json"), "--signature", "0x12", "--deadline", "1790000000", "--authority", A(BwAuthority)])),
        ("cert confirm", new("cert confirm", s => ["cert", "confirm", s.PathOf("cert.json"), s.PathOf("missing.json")])),
        ("cert void", new("cert void", s => ["cert", "void", s.PathOf("missing.json")])),
        ("cert status", new("cert status", _ => ["cert", "status", "12345"])),
        ("cert history", new("cert history", _ => ["cert", "history", "BW2026-999999"])),
        ("cert print", new("cert print", s => ["cert", "print", s.PathOf("cert.json"), "--out", s.PathOf("bad.pdf"), "--portal-url", "ftp://portal"])),
        ("verify", new("verify", s => ["verify", s.PathOf("missing.json")])),
        ("hash", new("hash", s => ["hash", s.PathOf("missing.json")])),
        ("salt", new("salt", _ => ["salt", "--bogus"])),
        ("merkle root", new("merkle root", s => ["merkle", "root", s.PathOf("missing.txt")])),
        ("merkle proof", new("merkle proof", s => ["merkle", "proof", s.Leaves(), "99"])),
        ("merkle leaves", new("merkle leaves", s => ["merkle", "leaves", s.PathOf("missing.bin")])),
        ("epcis hash", new("epcis hash", s => ["epcis", "hash", s.PathOf("p1.json")])), // a KP record, not an EPCIS document
        ("epcis export", new("epcis export", s => ["epcis", "export", s.PathOf("missing.json"), "--out", s.PathOf("never.jsonld")])),
        ("epcis import", new("epcis import", s => ["epcis", "import", s.PathOf("p1.json")])),
        ("new parcel", new("new parcel", _ => ["new", "parcel", "--participant", "BW", "--carats", "1,5"])),
        ("new transformation", new("new transformation", s => ["new", "transformation", "--participant", "BW", "--operation", "sort", "--inputs", s.PathOf("missing.json"), "--outputs", s.PathOf("missing.json")])),
        ("new certificate", new("new certificate", _ => ["new", "certificate", "--number", Certificate])),
        ("new confirmation", new("new confirmation", s => ["new", "confirmation", s.PathOf("missing.json"), "--authority-name", "x"])),
        ("submit", new("submit", s => ["submit", s.PathOf("missing.json"), "--service-dir", s.PathOf("service")])),
        ("status", new("status", s => ["status", "0x12", "--service-dir", s.PathOf("service")])),
        ("serve", new("serve", _ => ["serve", "--max-batch", "0"])),
        ("portal", new("portal", _ => ["portal", "--port", "70000"])),
        ("demo", new("demo", _ => ["demo", "--node", "Nope"])),
        ("demo --parties", new("demo", _ => ["demo", "--parties", "--parcels", "11"])),
        ("bench anchor", new("bench anchor", _ => ["bench", "anchor", "--records", "0"])),
        ("bench verify", new("bench verify", _ => ["bench", "verify", "--concurrency", "0"])),
        ("bench index", new("bench index", _ => ["bench", "index", "--parcels", "0"])),
        ("research simulate", new("research simulate", _ => ["research", "simulate", "--producers", "9"])),
        ("index", new("index", s => ["index", "--db", s.PathOf("p1.json")])), // a document, not an index
        ("stats", new("stats", s => ["stats", "--db", s.PathOf("missing.sqlite")])),
        ("research replay", new("research replay", _ => ["research", "replay", "--scale", "2"])),
    ];

    public static TheoryData<string> SuccessNames() => [.. Successes.Select(s => s.Name)];

    public static TheoryData<string> FailureNames() => [.. Failures.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(SuccessNames))]
    public void A_command_writes_one_json_document_its_schema_accepts(string name)
    {
        var (command, result) = story.Successes[name];
        Assert.True(result.ExitCode == Successes.Single(s => s.Name == name).Case.Exit, $"kp {command} --json: {result}");
        JsonSchemas.AssertValid(command, result.Out, $"kp {command} --json ({name})");
    }

    [Theory]
    [MemberData(nameof(FailureNames))]
    public void A_failure_is_one_error_document_on_standard_error_and_nothing_on_standard_output(string name)
    {
        var (command, result) = story.Failures[name];
        Assert.True(result.ExitCode is not 0, $"kp {command} --json should fail: {result}");
        Assert.True(result.Out.Length == 0, $"kp {command} --json wrote to standard output on failure: {result}");
        JsonSchemas.AssertValid("error", result.Err, $"kp {command} --json, failing ({name})");
    }

    [Fact]
    public void Every_command_is_run_here_in_a_success_and_in_a_failure()
    {
        var commands = JsonSchemas.RunnableCommands();
        // kp portal runs until stopped: PortalCommandTests runs it as a real process and checks its document against the schema
        Assert.Equal([], commands.Except(Successes.Select(s => s.Case.Command)).Except(JsonSchemas.WithoutOutput.Keys).Except(["portal"]));
        Assert.Equal([], commands.Except(Failures.Select(s => s.Case.Command)));
    }

    /// <summary>
    /// The story, run once for the class on the collection's Hardhat node: a registry with BW and AE, their authorities and a
    /// member (<see cref="KpStory.DeployedAsync"/>), then every case in order, each run's result kept by its name.
    /// </summary>
    public sealed class Story(HardhatFixture hardhat) : IAsyncLifetime
    {
        private string _dir = "";

        /// <summary>The collection's node.</summary>
        public string RpcUrl => hardhat.Node.Url;

        /// <summary>The successes run, by case name: the command and what kp returned.</summary>
        public Dictionary<string, (string Command, Kp.Result Result)> Successes { get; } = new(StringComparer.Ordinal);

        /// <summary>The failures run, by case name: the command and what kp returned.</summary>
        public Dictionary<string, (string Command, Kp.Result Result)> Failures { get; } = new(StringComparer.Ordinal);

        /// <summary>A path in the story's folder.</summary>
        public string PathOf(string name) => Path.Combine(_dir, name);

        /// <summary>The record hash of a document in the story's folder.</summary>
        public string HashOf(string document) => RecordJson.Parse(File.ReadAllText(PathOf(document))).Hash().ToString();

        /// <summary>The standard output of a success so far, as JSON.</summary>
        public JsonElement Json(string name) => JsonDocument.Parse(Successes[name].Result.Out).RootElement;

        /// <summary>A leaves file: two hashes, one a line.</summary>
        public string Leaves()
        {
            var path = PathOf("leaves.txt");
            if (!File.Exists(path)) File.WriteAllLines(path, [Keccak.Hash("sorting log 1").ToString(), Keccak.Hash("photo 1").ToString()]);
            return path;
        }

        /// <summary>The proof of leaf 0, from kp merkle proof's output.</summary>
        public string Proof()
        {
            var path = PathOf("proof.txt");
            if (!File.Exists(path))
            {
                File.WriteAllLines(path, Json("merkle proof").GetProperty("proof").EnumerateArray().Select(p => p.GetString()!));
            }
            return path;
        }

        public async Task InitializeAsync()
        {
            var (deployed, dir) = await DeployedAsync(RpcUrl, "kp-jsonshape-");
            _dir = dir;
            var env = new Dictionary<string, string?>(deployed.Environment)
            {
                ["HOME"] = PathOf("home"),
                ["XDG_CONFIG_HOME"] = PathOf("xdg"),
                ["KP_HOME"] = PathOf("kphome"),
                ["KP_REPO"] = RepoPaths.Root,
            };
            var kp = new Kp(env) { WorkingDirectory = Directory.CreateDirectory(PathOf("work")).FullName }; // kp.config.json is written there
            try
            {
                foreach (var (name, c) in JsonShapeTests.Successes) Successes[name] = (c.Command, await RunAsync(kp, c));
                foreach (var (name, c) in JsonShapeTests.Failures) Failures[name] = (c.Command, await RunAsync(kp, c));
            }
            finally
            {
                // never leave the node kp chain up started
                if (Successes.TryGetValue("chain up", out var up) && up.Result.ExitCode == 0 && !Successes.ContainsKey("chain down"))
                {
                    await kp.RunAsync("chain", "down", "--port", Json("chain up").GetProperty("port").GetInt32().ToString(CultureInfo.InvariantCulture));
                }
            }
        }

        // a case whose arguments cannot be made (an earlier step failed) fails alone, saying why
        private async Task<Kp.Result> RunAsync(Kp kp, Case c)
        {
            string[] args;
            try
            {
                args = [.. c.Args(this), "--json"];
            }
            catch (Exception e) when (e is KeyNotFoundException or JsonException or InvalidOperationException or IOException)
            {
                return new Kp.Result(-1, "", $"the story could not make this case's arguments (an earlier step failed?): {e.Message}");
            }
            return await kp.RunAsync(args);
        }

        public Task DisposeAsync()
        {
            if (_dir.Length > 0) Directory.Delete(_dir, recursive: true);
            return Task.CompletedTask;
        }
    }
}
