using System.Text.Json;
using Traceability.Chain.Accounts;
using Traceability.Core.Json;
using Traceability.Core.Records;
using Traceability.Testing;

namespace Traceability.Cli.Tests.Commands;

/// <summary>
/// kp verify --policy: a Russian parcel merged with Botswana goods in Dubai, split, half re-exported to
/// the EU verifies (exit 0) without a policy and is Restricted (exit 1) under the sample EU policy, with
/// the path and share in the table and in --json (verify.schema.json); a broken policy file is exit 2 naming the field.
/// </summary>
[Collection("hardhat")]
[Trait("Category", "Chain")]
public sealed class VerifyPolicyTests(HardhatFixture fixture)
{
    private static string SamplePolicy => RepoPaths.Under("samples", "policies", "eu-import.json");

    /// <summary>A laundering trade on a fresh registry; returns kp, the folder, the certificate's file, the documents folder, the half re-exported and the Russian parcel.</summary>
    private async Task<(Kp Kp, string Dir, string Cert, string Docs, ParcelRecord Half, ParcelRecord Russian)> LaunderedAsync()
    {
        var r = await TestRegistry.DeployAsync(fixture.Node);
        var story = await LaunderingStory.PlayAsync(r);
        var dir = Directory.CreateTempSubdirectory("kp-policy-").FullName;
        var docs = Directory.CreateDirectory(Path.Combine(dir, "lineage")).FullName;
        r.Deployment.Write(Path.Combine(dir, "deployment.json"));
        foreach (var d in story.Ancestors)
        {
            File.WriteAllText(Path.Combine(docs, d.Hash().ToString()[2..14] + ".json"), RecordJson.Write(d));
        }
        var certPath = Path.Combine(dir, "cert.json");
        File.WriteAllText(certPath, RecordJson.Write(story.AeToEu));
        var kp = new Kp(new() { ["KP_DEPLOYMENT"] = Path.Combine(dir, "deployment.json"), ["KP_MNEMONIC"] = Mnemonic.DevelopmentPhrase });
        return (kp, dir, certPath, docs, story.Halves[0], story.Russian);
    }

    [Fact]
    public async Task The_eu_policy_stops_a_laundered_russian_parcel_that_verifies_without_it()
    {
        var (kp, dir, cert, docs, half, russian) = await LaunderedAsync();
        try
        {
            var plain = await kp.RunAsync("verify", cert, "--ancestors", docs);
            Assert.True(plain.ExitCode == 0, plain.ToString());
            Assert.Contains("VERDICT: Verified", plain.Out, StringComparison.Ordinal);

            var table = await kp.RunAsync("verify", cert, "--ancestors", docs, "--policy", SamplePolicy);
            Assert.True(table.ExitCode == 1, table.ToString());
            Assert.Contains("VERDICT: Restricted", table.Out, StringComparison.Ordinal);
            Assert.Contains("policy.restricted-origins", table.Out, StringComparison.Ordinal);
            Assert.Contains("EU rough-diamond import screening", table.Out, StringComparison.Ordinal);
            Assert.Contains($"{half.Hash().ToShortString()} <- ", table.Out, StringComparison.Ordinal);
            Assert.Contains($" <- {russian.Hash().ToShortString()}", table.Out, StringComparison.Ordinal);

            var json = await kp.RunAsync("verify", cert, "--ancestors", docs, "--policy", SamplePolicy, "--json");
            Assert.Equal(1, json.ExitCode);
            JsonSchemas.AssertValid("verify", json.Out, "kp verify --policy --json");
            var root = JsonDocument.Parse(json.Out).RootElement;
            Assert.Equal("restricted", root.GetProperty("verdict").GetString());
            var finding = Assert.Single(root.GetProperty("policy").GetProperty("findings").EnumerateArray());
            Assert.Equal("restrictedOrigin", finding.GetProperty("rule").GetString());
            Assert.Equal("RU", finding.GetProperty("origin").GetString());
            Assert.Equal(russian.Hash().ToString(), finding.GetProperty("parcel").GetString());
            Assert.Equal(3, finding.GetProperty("paths")[0].GetArrayLength());
            Assert.Equal(0.1m, finding.GetProperty("share").GetDecimal());
            Assert.Equal(18_000, finding.GetProperty("carats").GetInt64());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_broken_or_missing_policy_file_is_a_usage_error_naming_the_field()
    {
        var dir = Directory.CreateTempSubdirectory("kp-policy-bad-").FullName;
        try
        {
            var bad = Path.Combine(dir, "bad-policy.json");
            File.WriteAllText(bad, File.ReadAllText(SamplePolicy).Replace("\"refuse\"", "\"ignore\"", StringComparison.Ordinal));
            var kp = new Kp();
            var cert = RepoPaths.Under("samples", "certificate-bw-ae.json");
            var r = await kp.RunAsync("verify", cert, "--policy", bad, "--json");
            Assert.Equal(2, r.ExitCode);
            Assert.Equal("", r.Out);
            JsonSchemas.AssertValid("error", r.Err, "kp verify --policy (broken) --json");
            var error = JsonDocument.Parse(r.Err).RootElement.GetProperty("error");
            Assert.Equal("--policy", error.GetProperty("field").GetString());
            Assert.Contains("untraced.action", error.GetProperty("message").GetString(), StringComparison.Ordinal);

            var missing = await kp.RunAsync("verify", cert, "--policy", Path.Combine(dir, "none.json"));
            Assert.Equal(2, missing.ExitCode);
            Assert.Contains("none.json", missing.Err, StringComparison.Ordinal);

            var portal = await kp.RunAsync("portal", "--policy", bad, "--json");
            Assert.Equal(2, portal.ExitCode);
            Assert.Equal("--policy", JsonDocument.Parse(portal.Err).RootElement.GetProperty("error").GetProperty("field").GetString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
