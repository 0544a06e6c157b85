using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Traceability.Lab.DevChain;
using Traceability.Testing;

namespace Traceability.Cli.Tests;

/// <summary>
/// F13, F15, F16: kp's exit codes say what happened. A bad setting or option is exit code 2 with a
/// sentence naming it (never a success, never a stack trace); kp new never writes what its reader refuses.
/// </summary>
[Trait("Category", "Fast")]
public sealed class ExitCodeTests : IDisposable
{
    private readonly Kp _kp = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("kp-exit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Sample(params string[] parts) => RepoPaths.Under(["samples", .. parts]);

    private static async Task<Kp.Result> Within(Task<Kp.Result> run, int seconds = 60)
    {
        Assert.True(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(seconds))) == run, "kp did not finish");
        return await run;
    }

    private static void Usage(Kp.Result r, string named)
    {
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(named, r.Err);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.DoesNotContain("System.Int32", r.Err);
    }

    [Fact]
    public async Task Serve_on_a_taken_http_port_exits_2_naming_the_port()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        var r = await Within(_kp.RunAsync("serve", "--service-dir", Path.Combine(_dir, "service"), "--http-port", port,
            "--rpc", $"http://127.0.0.1:{LocalNode.FreePort()}", "--registry", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "--deployment", Path.Combine(_dir, "none.json")));
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(port, r.Err);
    }

    [Fact]
    public async Task Serve_on_a_folder_it_cannot_use_is_a_sentence_and_exit_3()
    {
        var r = await Within(_kp.RunAsync("serve", "--service-dir", "/proc",
            "--rpc", $"http://127.0.0.1:{LocalNode.FreePort()}", "--registry", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "--deployment", Path.Combine(_dir, "none.json")));
        Assert.True(r.ExitCode == 3, r.ToString());
        Assert.Contains("/proc", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("601")]
    [InlineData("-1")]
    public async Task Bench_validates_its_options_before_writing_anything(string batch)
    {
        Usage(await Within(_kp.RunAsync("bench", "anchor", "--max-batch", batch)), "--max-batch");
        Usage(await Within(_kp.RunAsync("bench", "anchor", "--batch", batch)), "--batch"); // the old spelling, hidden
    }

    [Theory]
    [InlineData("--fees", "99")]
    [InlineData("--fees", "-1")]
    [InlineData("--fees", "1")]
    public async Task Enum_options_take_names_only(string option, string value)
    {
        Usage(await _kp.RunAsync("hash", Sample("certificate-bw-ae.json"), option, value), option);
        Assert.Equal(0, (await _kp.RunAsync("hash", Sample("certificate-bw-ae.json"), "--fees", "Zero")).ExitCode);
    }

    [Fact]
    public async Task Flag_kinds_levels_and_categories_take_names_only_and_a_reason_must_not_be_empty()
    {
        var hash = "0x" + new string('1', 64);
        Usage(await _kp.RunAsync("flag", "7", hash, "--reason", "x"), "kind");
        Usage(await _kp.RunAsync("flag", "Parcel", hash, "--level", "2", "--reason", "x"), "--level");
        Usage(await _kp.RunAsync("flag", "Parcel", hash, "--category", "3", "--reason", "x"), "--category");
        Usage(await _kp.RunAsync("flag", "Parcel", hash, "--reason", ""), "--reason");
        Usage(await _kp.RunAsync("flag", "Parcel", hash, "--reason", "  "), "--reason");
    }

    [Theory]
    [InlineData("+5")]
    [InlineData(" 5")]
    [InlineData("5.0")]
    [InlineData("0")]
    [InlineData("x")]
    public async Task Max_depth_is_a_strict_count(string value)
    {
        Usage(await _kp.RunAsync("verify", Sample("certificate-bw-ae.json"), "--max-depth", value), "--max-depth");
    }

    [Fact]
    public async Task Whole_number_arguments_name_themselves_and_a_bad_rpc_url_names_the_option()
    {
        var leaves = Path.Combine(_dir, "leaves.txt");
        await File.WriteAllTextAsync(leaves, "0x" + new string('2', 64) + "\n");
        Usage(await _kp.RunAsync("merkle", "proof", leaves, "abc"), "index");
        Usage(await _kp.RunAsync("verify", Sample("certificate-bw-ae.json"), "--rpc", "notaurl"), "--rpc");
    }

    [Theory]
    [InlineData("--certificates-per-year", "0")]
    [InlineData("--reexport-share", "1,5")]
    [InlineData("--reexport-share", "1.5")]
    [InlineData("--year", "+2023")]
    [InlineData("--certificates", "0")]
    public async Task Research_options_are_parsed_strictly(string option, string value)
    {
        Usage(await Within(_kp.RunAsync("research", "simulate", option, value)), option);
    }

    [Fact]
    public async Task Status_with_a_malformed_hash_is_a_usage_error()
    {
        Usage(await _kp.RunAsync("status", "0x12", "--service-dir", Path.Combine(_dir, "service")), "hash");
    }

    [Theory]
    [InlineData("--id", "101")]
    [InlineData("--id", " ")]
    [InlineData("--mine", "201")]
    public async Task New_parcel_never_writes_a_document_its_reader_refuses(string option, string value)
    {
        var text = int.TryParse(value, out var n) ? new string('a', n) : value;
        var file = Path.Combine(_dir, "p.json");
        var r = await _kp.RunAsync("new", "parcel", "--participant", "BW", "--mine", "Jwaneng", "--carats", "10", "--value-usd", "100", option, text, "--out", file);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.False(File.Exists(file));
        Assert.DoesNotContain("0x", r.Out + r.Err.Replace("0x followed", "", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--authority-name", "details.issuingAuthority")]
    [InlineData("--exporter-name", "details.exporterName")]
    [InlineData("--number", "number")]
    public async Task New_certificate_never_writes_a_blank_name(string option, string field)
    {
        var file = Path.Combine(_dir, "c.json");
        var args = new Dictionary<string, string>
        {
            ["--number"] = "BW2026-1",
            ["--exporter"] = "BW",
            ["--importer"] = "AE",
            ["--parcels"] = Sample("parcel-sorted-1.json"),
            ["--authority-name"] = "Ministry",
            ["--exporter-name"] = "ODC",
            ["--importer-name"] = "Rough",
        };
        args[option] = " ";
        var r = await _kp.RunAsync(["new", "certificate", .. args.SelectMany(kv => new[] { kv.Key, kv.Value }), "--out", file]);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(field, r.Err);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task New_confirmation_never_writes_a_blank_authority()
    {
        var file = Path.Combine(_dir, "conf.json");
        var r = await _kp.RunAsync("new", "confirmation", Sample("certificate-bw-ae.json"), "--authority-name", " ", "--out", file);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("confirmingAuthority", r.Err);
        Assert.False(File.Exists(file));
    }

    [Theory]
    [InlineData("surrogate")]
    [InlineData("ff")]
    public async Task A_document_with_undecodable_text_is_exit_2_naming_the_field_in_hash_verify_and_submit(string kind)
    {
        var json = File.ReadAllText(Sample("parcel-bw-1.json"));
        var at = json.IndexOf("\"parcelId\": \"", StringComparison.Ordinal) + "\"parcelId\": \"".Length;
        var bytes = kind == "ff"
            ? [.. Encoding.UTF8.GetBytes(json[..at]), (byte)0xFF, .. Encoding.UTF8.GetBytes(json[at..])]
            : Encoding.UTF8.GetBytes(json[..at] + "X\\ud800" + json[at..]);
        var file = Path.Combine(_dir, "poison.json");
        await File.WriteAllBytesAsync(file, bytes);
        Usage(await _kp.RunAsync("hash", file), "parcelId");
        Usage(await _kp.RunAsync("verify", file), "parcelId");
        var submit = await _kp.RunAsync("submit", file, "--service-dir", Path.Combine(_dir, "service"), "--deployment", Path.Combine(_dir, "none.json"));
        Usage(submit, "parcelId");
        Assert.Contains("[format]", submit.Err);
    }
}
