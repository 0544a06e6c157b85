using System.Globalization;
using System.Text.Json;
using Traceability.Core.Json;
using Traceability.Core.Primitives;
using Traceability.Testing;

namespace Traceability.Cli.Tests;

/// <summary>Commands that need no chain: hash, typed data, merkle, new, and the bad samples.</summary>
[Trait("Category", "Fast")]
public class OfflineCommandTests
{
    private readonly Kp _kp = new();
    private static string Sample(params string[] parts) => RepoPaths.Under(["samples", .. parts]);

    [Fact]
    public async Task Hash_prints_the_records_EIP712_hash()
    {
        var r = await _kp.RunAsync("hash", Sample("certificate-bw-ae.json"));
        Assert.Equal(0, r.ExitCode);
        var expected = RecordJson.Parse(File.ReadAllText(Sample("certificate-bw-ae.json"))).Hash();
        Assert.Equal(expected.ToString(), r.Out.Trim());
    }

    [Fact]
    public async Task Typed_data_output_rehashed_by_ethers_gives_the_same_hash()
    {
        var docs = new List<string>();
        var hashes = new List<string>();
        foreach (var f in Directory.GetFiles(RepoPaths.Under("samples"), "*.json"))
        {
            var typed = await _kp.RunAsync("hash", f, "--typed-data", "--deployment", "/nonexistent.json");
            Assert.Equal(0, typed.ExitCode);
            docs.Add(typed.Out);
            hashes.Add((await _kp.RunAsync("hash", f)).Out.Trim());
        }
        var output = JsonDocument.Parse(await NodeScript.RunAsync("tests/tools/eip712-hash.js", "[" + string.Join(",", docs) + "]")).RootElement;
        Assert.Equal(hashes, output.EnumerateArray().Select(e => e.GetProperty("structHash").GetString()));
    }

    [Fact]
    public async Task Merkle_root_and_proof_equal_OpenZeppelin_merkle_tree_for_any_leaf_count()
    {
        var dir = Directory.CreateTempSubdirectory("kp-merkle-").FullName;
        var lists = new List<List<Hash32>>();
        foreach (var n in new[] { 1, 2, 3, 5, 7, 8, 9, 10, 11, 16, 17, 33, 64, 100 })
        {
            lists.Add([.. Enumerable.Range(0, n).Select(_ => Salt.New())]);
        }
        var expected = JsonDocument.Parse(await NodeScript.RunAsync("tests/tools/merkle.js",
            JsonSerializer.Serialize(lists.Select(l => l.Select(h => h.ToString()))))).RootElement;
        for (var i = 0; i < lists.Count; i++)
        {
            var file = Path.Combine(dir, $"leaves-{i}.txt");
            await File.WriteAllLinesAsync(file, lists[i].Select(h => h.ToString()));
            var root = await _kp.RunAsync("merkle", "root", file);
            Assert.Equal(0, root.ExitCode);
            Assert.Equal(expected[i].GetProperty("root").GetString(), root.Out.Trim());
            var last = lists[i].Count - 1;
            var proof = await _kp.RunAsync("merkle", "proof", file, last.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(expected[i].GetProperty("proofs")[last].EnumerateArray().Select(p => p.GetString()),
                proof.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    [Fact]
    public async Task Merkle_refuses_a_bad_line_and_an_index_outside_the_tree()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllLinesAsync(file, [Salt.New().ToString(), "0x1234"]);
        var bad = await _kp.RunAsync("merkle", "root", file);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("line 2: expected 0x followed by 64 hex digits", bad.Err);
        await File.WriteAllLinesAsync(file, [Salt.New().ToString()]);
        var outside = await _kp.RunAsync("merkle", "proof", file, "3");
        Assert.Equal(2, outside.ExitCode);
        Assert.Contains("index: 3 is outside", outside.Err);
    }

    public static TheoryData<string, string> BadSamples() => new()
    {
        { "missing-field.json", "details.carats: missing (required field)" },
        { "unknown-field.json", "colour: unknown field" },
        { "wrong-type.json", "details.carats: expected a whole number of hundredths of a carat, found \"2000.00\"" },
        { "truncated.json", "document: is not valid JSON at line 10, column 67: " },
        { "wrong-number-prefix.json", "number: \"AE2026-004711\" must start with the exporting participant's code BW" },
        { "parcel-count-mismatch.json", "details.parcelCount: says 3 parcels but the parcel list has 2" },
        { "wrong-hs-code.json", "details.hsCode: \"7102.39\" is not a rough-diamond HS code" },
        { "expiry-not-after-issue.json", "expiresAt: the date of expiry must be after the date of issue" },
    };

    [Theory]
    [MemberData(nameof(BadSamples))]
    public async Task Every_bad_sample_is_refused_with_exit_2_naming_the_field(string file, string error)
    {
        var r = await _kp.RunAsync("cert", "issue", Sample("bad", file), "--rpc", "http://127.0.0.1:1", "--registry", "0x5FbDB2315678afecb367f032d93F642f64180aa3");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(error, r.Err);
        Assert.Contains(file, r.Err);
        Assert.Contains($"| {file} |", await File.ReadAllTextAsync(Sample("bad", "README.md")));
    }

    [Fact]
    public async Task The_good_samples_are_valid_and_consistent()
    {
        foreach (var f in Directory.GetFiles(RepoPaths.Under("samples"), "*.json"))
        {
            Assert.Empty(Core.Validation.KpRules.Check(RecordJson.Parse(await File.ReadAllTextAsync(f))));
        }
        var cert = RecordJson.Parse<Core.Records.CertificateRecord>(await File.ReadAllTextAsync(Sample("certificate-bw-ae.json")));
        var sorted1 = RecordJson.Parse(await File.ReadAllTextAsync(Sample("parcel-sorted-1.json"))).Hash();
        Assert.Contains(sorted1, cert.Parcels);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("hash")]
    [InlineData("verify", "a.json", "--no-such-option")]
    [InlineData("hash", "a.json", "--account", "many")]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        var r = await _kp.RunAsync(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("error:", r.Err);
    }

    [Fact]
    public async Task New_makes_documents_that_satisfy_the_KP_rules_and_refuses_bad_amounts()
    {
        var dir = Directory.CreateTempSubdirectory("kp-new-").FullName;
        var p = Path.Combine(dir, "p.json");
        Assert.Equal(0, (await _kp.RunAsync("new", "parcel", "--participant", "CF", "--mine", "Berbérati", "--carats", "12.5", "--out", p)).ExitCode);
        var parcel = RecordJson.Parse<Core.Records.ParcelRecord>(await File.ReadAllTextAsync(p));
        Assert.Equal(1250UL, parcel.Carats);
        Assert.Empty(Core.Validation.KpRules.CheckOriginParcel(parcel));
        var bad = await _kp.RunAsync("new", "parcel", "--participant", "XX", "--carats", "1");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--participant: 'XX' is not a KP participant code", bad.Err); // refused on the command line, before the KP rules
        var zero = await _kp.RunAsync("new", "parcel", "--participant", "BW", "--carats", "0");
        Assert.Equal(2, zero.ExitCode);
        Assert.Contains("carats must be above zero", zero.Err);
    }
}
