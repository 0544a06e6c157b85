using System.Diagnostics;
using Traceability.Testing;

namespace Traceability.Cli.Tests;

/// <summary>
/// F12: kp reads regular files only (links resolved; FIFOs, devices, folders and link loops refused with
/// a sentence naming the path, exit code 2), size-capped before reading, and never writes --out into a
/// folder or a special file. Nothing hangs and no stack trace is printed.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Trait("Category", "Fast")]
public sealed class InputFileTests : IDisposable
{
    private readonly Kp _kp = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("kp-inputs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Sample(string name) => RepoPaths.Under("samples", name);

    private string Fifo()
    {
        var path = Path.Combine(_dir, "fifo");
        if (Path.Exists(path)) return path;
        using var p = Process.Start(new ProcessStartInfo("mkfifo") { ArgumentList = { path }, UseShellExecute = false })!;
        p.WaitForExit();
        return path;
    }

    private async Task<Kp.Result> Refused(params string[] args)
    {
        var run = _kp.RunAsync(args);
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(finished == run, $"kp {string.Join(' ', args)} hangs");
        var r = await run;
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.DoesNotContain("   at ", r.Err);
        return r;
    }

    [Fact]
    public async Task A_FIFO_is_refused_wherever_kp_reads_a_file()
    {
        var fifo = Fifo();
        Assert.Contains("FIFO", (await Refused("hash", fifo)).Err);
        Assert.Contains(fifo, (await Refused("verify", fifo)).Err);
        Assert.Contains("FIFO", (await Refused("verify", Sample("certificate-bw-ae.json"), "--ancestors", fifo)).Err);
        Assert.Contains("FIFO", (await Refused("verify", Sample("certificate-bw-ae.json"), "--deployment", fifo)).Err);
        Assert.Contains("FIFO", (await Refused("merkle", "root", fifo)).Err);
        Assert.Contains("FIFO", (await Refused("merkle", "proof", fifo, "0")).Err);
        Assert.Contains("FIFO", (await Refused("merkle", "leaves", Sample("parcel-bw-1.json"), fifo)).Err);
        Assert.Contains("FIFO", (await Refused("parcel", "status", fifo)).Err);
        Assert.Contains("FIFO", (await Refused("submit", fifo, "--service-dir", Path.Combine(_dir, "service"))).Err);
        Assert.Contains("FIFO", (await Refused("serve", "--deployment", fifo, "--service-dir", Path.Combine(_dir, "service2"))).Err);
        Assert.Contains("FIFO", (await Refused("parcel", "register", Sample("parcel-bw-1.json"), "--keystore", fifo, "--rpc", "http://127.0.0.1:1", "--registry", "0x5FbDB2315678afecb367f032d93F642f64180aa3")).Err);
    }

    [Fact]
    public async Task Devices_folders_and_link_loops_are_refused_with_a_sentence_and_a_link_to_a_document_is_read()
    {
        Assert.Contains("/dev/zero", (await Refused("verify", "/dev/zero")).Err);
        Assert.Contains("device", (await Refused("hash", "/dev/zero")).Err);
        Assert.Contains("device", (await Refused("merkle", "leaves", "/dev/zero")).Err);
        Assert.Contains("directory", (await Refused("hash", _dir)).Err);
        var loop = Path.Combine(_dir, "loop.json");
        File.CreateSymbolicLink(loop, loop);
        Assert.Contains(loop, (await Refused("hash", loop)).Err);
        Assert.Contains(loop, (await Refused("merkle", "root", loop)).Err);
        var link = Path.Combine(_dir, "link.json");
        File.CreateSymbolicLink(link, Sample("certificate-bw-ae.json"));
        var r = await _kp.RunAsync("hash", link);
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    [Fact]
    public async Task A_bulk_input_over_its_cap_is_refused_before_it_is_read()
    {
        var big = Path.Combine(_dir, "leaves.txt");
        using (var f = File.Create(big)) f.SetLength((64L << 20) + 1); // sparse
        Assert.Contains("at most", (await Refused("merkle", "root", big)).Err);
    }

    [Fact]
    public async Task Out_into_a_folder_or_a_special_file_is_refused_and_nothing_is_written()
    {
        var args = new[] { "new", "parcel", "--participant", "BW", "--mine", "Jwaneng", "--carats", "10", "--value-usd", "100", "--out" };
        Assert.Contains("directory", (await Refused([.. args, _dir])).Err);
        Assert.Contains("FIFO", (await Refused([.. args, Fifo()])).Err);
        Assert.Contains("/proc/version", (await Refused([.. args, "/proc/version"])).Err);
    }

    [Fact]
    public async Task An_unreadable_file_or_folder_is_exit_code_2_naming_the_path()
    {
        if (Environment.UserName == "root") return; // root reads everything
        var file = Path.Combine(_dir, "secret.json");
        File.Copy(Sample("certificate-bw-ae.json"), file);
        File.SetUnixFileMode(file, UnixFileMode.None);
        Assert.Contains(file, (await Refused("hash", file)).Err);
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "closed")).FullName;
        File.SetUnixFileMode(folder, UnixFileMode.None);
        Assert.Contains("closed", (await Refused("verify", Sample("certificate-bw-ae.json"), "--ancestors", folder)).Err);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
