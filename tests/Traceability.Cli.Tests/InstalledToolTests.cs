using System.Diagnostics;
using System.Text.Json;
using Traceability.Testing;

namespace Traceability.Cli.Tests;

/// <summary>
/// kp as users get it: packed and installed as a .NET tool into a folder of its own, run from an empty folder
/// outside the checkout (only Hardhat is taken from the checkout's node_modules, through KP_REPO).
/// </summary>
[Trait("Category", "Chain")]
public sealed class InstalledToolTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kp-installed-").FullName;
    private int? _port;

    public void Dispose()
    {
        if (_port is { } p) Run("chain", "down", "--port", p.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.Delete(_root, recursive: true);
    }

    private string Tools => Path.Combine(_root, "tools");
    private string Empty => Path.Combine(_root, "empty");

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public void From_an_empty_folder_the_installed_tool_starts_a_chain_deploys_registers_with_a_named_account_verifies_and_stops()
    {
        Install();
        Directory.CreateDirectory(Empty);
        var noHardhat = Run(withRepo: false, "chain", "up", "--port", "0");
        Assert.Equal(3, noHardhat.Code);
        Assert.Contains("npm install hardhat@2.29.1", noHardhat.Err); // one line saying what to install
        Assert.Single(noHardhat.Err.Trim().Split('\n'));

        var up = JsonDocument.Parse(Ok(Run("chain", "up", "--port", "0", "--json")).Out).RootElement;
        _port = up.GetProperty("port").GetInt32();
        Ok(Run("chain", "deploy"));
        Ok(Run("account", "add", "bw-authority", "--index", "2", "--role", "BW authority"));
        Ok(Run("account", "add", "miner", "--index", "6", "--role", "BW miner"));
        Ok(Run("participant", "add", "BW"));
        Ok(Run("authority", "add", "BW", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"));
        Ok(Run("member", "add", "0x976EA74026E726554dB657fA54763abd0C3a0aa9", "--account", "bw-authority"));
        Ok(Run("new", "parcel", "--participant", "BW", "--mine", "Jwaneng", "--carats", "1000", "--value-usd", "117000", "--out", "p1.json"));
        Ok(Run("parcel", "register", "p1.json", "--account", "miner"));
        var verify = JsonDocument.Parse(Ok(Run("verify", "p1.json", "--json")).Out).RootElement;
        Assert.Equal("verified", verify.GetProperty("verdict").GetString());
        Assert.Equal(up.GetProperty("url").GetString(), JsonDocument.Parse(File.ReadAllText(Path.Combine(_root, "data", "kp", "deployment.json"))).RootElement.GetProperty("rpcUrl").GetString());
        Assert.Equal(["kp.config.json", "p1.json"], Directory.GetFileSystemEntries(Empty).Select(Path.GetFileName).Order()); // nothing else left in the user's folder

        var down = JsonDocument.Parse(Ok(Run("chain", "down", "--json")).Out).RootElement;
        Assert.True(down.GetProperty("stopped").GetBoolean());
        _port = null;
    }

    private void Install()
    {
        var pkg = Path.Combine(_root, "pkg");
        Exec("dotnet", RepoPaths.Root, null, "pack", RepoPaths.Under("src", "Traceability.Cli", "Traceability.Cli.csproj"), "-c", Configuration, "--no-build", "--no-restore", "-o", pkg);
        Exec("dotnet", RepoPaths.Root, null, "tool", "install", "--tool-path", Tools, "--add-source", pkg, "--ignore-failed-sources", "Traceability.Kp");
    }

    private (int Code, string Out, string Err) Run(params string[] args) => Run(withRepo: true, args);

    private (int Code, string Out, string Err) Run(bool withRepo, params string[] args)
    {
        var env = new Dictionary<string, string?>
        {
            ["HOME"] = Path.Combine(_root, "home"),
            ["XDG_CONFIG_HOME"] = Path.Combine(_root, "config"),
            ["XDG_DATA_HOME"] = Path.Combine(_root, "data"),
            ["KP_REPO"] = withRepo ? RepoPaths.Root : null,
            ["KP_HOME"] = null,
            ["KP_DEPLOYMENT"] = null,
            ["KP_RPC_URL"] = null,
            ["KP_MNEMONIC"] = null,
        };
        return Exec(Path.Combine(Tools, "kp"), Empty, env, args);
    }

    private static (int Code, string Out, string Err) Exec(string file, string cwd, Dictionary<string, string?>? env, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? [])
        {
            if (v is null) psi.Environment.Remove(k);
            else psi.Environment[k] = v;
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 3 minutes");
        }
        var result = (p.ExitCode, stdout.Result, stderr.Result);
        if (env is null && result.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)}: exit {result.ExitCode}\n{result.Item2}\n{result.Item3}");
        return result;
    }

    private static (int Code, string Out, string Err) Ok((int Code, string Out, string Err) r)
    {
        Assert.True(r.Code == 0, $"exit {r.Code}\n{r.Out}\n{r.Err}");
        return r;
    }
}
