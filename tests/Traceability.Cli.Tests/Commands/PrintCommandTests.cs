using System.Text.Json;
using Traceability.Core.Json;
using Traceability.Core.Records;
using Traceability.Testing;
using static Traceability.Cli.Tests.KpStory;

namespace Traceability.Cli.Tests.Commands;

/// <summary>kp cert print: a PDF whose QR code is the lookup of the certificate on its own deployment, at the portal named.</summary>
[Trait("Category", "Fast")]
public sealed class PrintCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kp-print-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Deployment()
    {
        var path = Path.Combine(_dir, "deployment.json");
        File.WriteAllText(path, """
            {"contract":"KimberleyRegistry","chainId":1337,"rpcUrl":"http://127.0.0.1:1","address":"0x5FbDB2315678afecb367f032d93F642f64180aa3",
             "governor":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","deployer":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","blockNumber":1,
             "blockHash":"0x00","transactionHash":"0x00","runtimeCodeHash":"0x00"}
            """);
        return path;
    }

    private static string Sample => RepoPaths.Under("samples", "certificate-bw-ae.json");

    [Fact]
    public async Task Prints_a_PDF_whose_QR_code_is_the_lookup_on_the_deployment_with_the_content_hash_and_needs_no_chain()
    {
        var kp = new Kp(new() { ["KP_PORTAL_URL"] = "https://portal.kp.example/" });
        var pdf = Path.Combine(_dir, "cert.pdf");
        var r = Ok(await kp.RunAsync("cert", "print", Sample, "--out", pdf, "--deployment", Deployment(), "--json")); // the node at 127.0.0.1:1 is never asked
        var json = JsonDocument.Parse(r.Out).RootElement;
        var hash = RecordJson.Parse(File.ReadAllText(Sample)).Hash().ToString();
        var expected = $"https://portal.kp.example/c/1337/0x5fbdb2315678afecb367f032d93f642f64180aa3/BW/BW2026-004711?h={hash}";
        Assert.Equal(expected, json.GetProperty("lookup").GetString());
        Assert.Equal([expected], PdfPages.QrCodes(File.ReadAllBytes(pdf)));
        Assert.Contains("BW2026-004711", PdfPages.Text(File.ReadAllBytes(pdf)));
    }

    [Fact]
    public async Task A_signed_certificate_points_at_the_deployment_its_authority_signed_for()
    {
        var signed = (CertificateRecord)RecordJson.Parse(File.ReadAllText(Sample)) with
        {
            Authorization = new CertificateAuthorization("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", 1799107200, "0x" + new string('1', 130), 7, "0x0000000000000000000000000000000000000abc"),
        };
        var file = Path.Combine(_dir, "signed.json");
        File.WriteAllText(file, RecordJson.Write(signed));
        var pdf = Path.Combine(_dir, "signed.pdf");
        Ok(await new Kp().RunAsync("cert", "print", file, "--out", pdf, "--portal-url", "https://p.example", "--deployment", Path.Combine(_dir, "none.json")));
        Assert.StartsWith("https://p.example/c/7/0x0000000000000000000000000000000000000abc/BW/", Assert.Single(PdfPages.QrCodes(File.ReadAllBytes(pdf))));
    }

    [Theory]
    [InlineData("--portal-url", "ftp://portal.example", "--portal-url", 2)]
    [InlineData("--portal-url", "https://portal.example/?q=1", "--portal-url", 2)]
    [InlineData("--portal-url", "https://kp-portal.example.org@evil.example", "--portal-url", 2)]
    public async Task A_bad_portal_address_is_a_usage_error_naming_it_and_nothing_is_written(string option, string value, string field, int exit)
    {
        var pdf = Path.Combine(_dir, "x.pdf");
        var r = await new Kp().RunAsync("cert", "print", Sample, "--out", pdf, "--deployment", Deployment(), option, value, "--json");
        Assert.Equal(exit, r.ExitCode);
        Assert.Equal(field, JsonDocument.Parse(r.Err).RootElement.GetProperty("error").GetProperty("field").GetString());
        Assert.False(File.Exists(pdf));
    }

    [Fact]
    public async Task An_unsigned_certificate_without_a_deployment_says_what_to_give()
    {
        var r = await new Kp().RunAsync("cert", "print", Sample, "--out", Path.Combine(_dir, "x.pdf"), "--deployment", Path.Combine(_dir, "none.json"));
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("give --deployment", r.Err);
    }
}
