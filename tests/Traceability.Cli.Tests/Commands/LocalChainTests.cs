using System.Diagnostics;
using System.Text.Json;
using Traceability.Testing;
using static Traceability.Cli.Tests.KpStory;

namespace Traceability.Cli.Tests.Commands;

/// <summary>kp chain up/deploy/down: deploy goes to the chain kp chain up started (never a guess), a live record is not overwritten without --force.</summary>
[Trait("Category", "Chain")]
public sealed class LocalChainTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("kp-localchain-").FullName;
    private readonly List<int> _ports = [];
    private Kp _kp = null!;

    public Task InitializeAsync()
    {
        var work = Path.Combine(_root, "work");
        Directory.CreateDirectory(work);
        _kp = new Kp(new()
        {
            ["HOME"] = Path.Combine(_root, "home"),
            ["XDG_CONFIG_HOME"] = Path.Combine(_root, "xdg"),
            ["KP_HOME"] = Path.Combine(_root, "kphome"),
            ["KP_REPO"] = RepoPaths.Root,
        })
        { WorkingDirectory = work };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var p in _ports) await _kp.RunAsync("chain", "down", "--port", p.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.Delete(_root, recursive: true);
    }

    private async Task<JsonElement> UpAsync()
    {
        var node = JsonDocument.Parse(Ok(await _kp.RunAsync("chain", "up", "--port", "0", "--json")).Out).RootElement;
        _ports.Add(node.GetProperty("port").GetInt32());
        return node;
    }

    [Fact]
    public async Task Deploy_after_up_on_a_port_deploys_to_that_chain_and_refuses_to_overwrite_a_live_record_without_force()
    {
        var none = await _kp.RunAsync("chain", "deploy", "--json");
        Assert.Equal(3, none.ExitCode); // no node started, nothing named: no guess at 8545
        Assert.Contains("kp chain up", JsonDocument.Parse(none.Err).RootElement.GetProperty("error").GetProperty("message").GetString());

        var node = await UpAsync();
        var url = node.GetProperty("url").GetString()!;
        Assert.Equal(31337, node.GetProperty("chainId").GetInt64());
        Assert.True(LocalChainIsAlive(node.GetProperty("pid").GetInt32()));

        var first = JsonDocument.Parse(Ok(await _kp.RunAsync("chain", "deploy", "--json")).Out).RootElement;
        Assert.Equal(url, first.GetProperty("record").GetProperty("rpcUrl").GetString());
        Assert.Equal(Path.Combine(_root, "kphome", "deployment.json"), first.GetProperty("path").GetString());
        Ok(await _kp.RunAsync("participant", "add", "BW")); // later commands follow the record to that chain

        var again = await _kp.RunAsync("chain", "deploy", "--json");
        Assert.Equal(2, again.ExitCode);
        var error = JsonDocument.Parse(again.Err).RootElement.GetProperty("error");
        Assert.Equal("--force", error.GetProperty("field").GetString());
        Assert.Contains(first.GetProperty("record").GetProperty("address").GetString()!, error.GetProperty("message").GetString());
        Assert.Equal("BW", JsonDocument.Parse(Ok(await _kp.RunAsync("participant", "list", "--json")).Out).RootElement[0].GetProperty("code").GetString()); // the record still points at the first registry

        var forced = JsonDocument.Parse(Ok(await _kp.RunAsync("chain", "deploy", "--force", "--json")).Out).RootElement;
        Assert.NotEqual(first.GetProperty("record").GetProperty("address").GetString(), forced.GetProperty("record").GetProperty("address").GetString());
        Assert.Empty(JsonDocument.Parse(Ok(await _kp.RunAsync("participant", "list", "--json")).Out).RootElement.EnumerateArray());

        var down = JsonDocument.Parse(Ok(await _kp.RunAsync("chain", "down", "--json")).Out).RootElement; // the one running node, without --port
        Assert.True(down.GetProperty("stopped").GetBoolean());
        Assert.False(LocalChainIsAlive(node.GetProperty("pid").GetInt32()));
        _ports.Clear();

        var reset = await UpAsync(); // a reset chain: the old record is stale, so deploy replaces it without --force
        Ok(await _kp.RunAsync("chain", "deploy", "--port", reset.GetProperty("port").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Up_like_besu_runs_the_genesis_chain_kp_signs_on_without_a_phrase_and_keeps_it_across_down_and_up()
    {
        var up = await _kp.RunAsync("chain", "up", "--port", "0", "--like", "besu", "--json");
        JsonSchemas.AssertValid("chain up", Ok(up).Out, "kp chain up --like besu");
        var node = JsonDocument.Parse(up.Out).RootElement;
        _ports.Add(node.GetProperty("port").GetInt32());
        Assert.Equal(57831, node.GetProperty("chainId").GetInt64()); // chain-dev/besu's genesis
        Assert.Equal(Path.Combine(_root, "kphome", "besu-like-state.json"), node.GetProperty("state").GetString());

        // no KP_MNEMONIC: kp signs with the dev test phrase because kp chain up started this node (a mere chain id 57831 is not enough)
        Ok(await _kp.RunAsync("chain", "deploy"));
        Ok(await _kp.RunAsync("participant", "add", "BW"));
        Assert.Contains("ok", Ok(await _kp.RunAsync("chain", "status")).Out);

        var port = node.GetProperty("port").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Ok(await _kp.RunAsync("chain", "down", "--port", port));
        _ports.Clear();

        // started again (on another port), the chain is the one kept: the record still stands, its registry still holds BW
        var again = JsonDocument.Parse(Ok(await _kp.RunAsync("chain", "up", "--port", "0", "--like", "besu", "--json")).Out).RootElement;
        _ports.Add(again.GetProperty("port").GetInt32());
        var deployment = Path.Combine(_root, "kphome", "deployment.json");
        var rpc = again.GetProperty("url").GetString()!;
        Assert.True(JsonDocument.Parse(Ok(await _kp.RunAsync("chain", "status", "--rpc", rpc, "--json")).Out).RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal("BW", JsonDocument.Parse(Ok(await _kp.RunAsync("participant", "list", "--rpc", rpc, "--json")).Out).RootElement[0].GetProperty("code").GetString());
        Ok(await _kp.RunAsync("participant", "add", "AE", "--rpc", rpc));
        Assert.True(File.Exists(deployment));
    }

    [Fact]
    public async Task Serve_on_the_Besu_like_node_kp_chain_up_started_signs_with_the_dev_phrase_and_anchors()
    {
        var node = JsonDocument.Parse(Ok(await _kp.RunAsync("chain", "up", "--port", "0", "--like", "besu", "--json")).Out).RootElement;
        _ports.Add(node.GetProperty("port").GetInt32());
        Ok(await _kp.RunAsync("chain", "deploy"));
        Ok(await _kp.RunAsync("participant", "add", "BW"));
        Ok(await _kp.RunAsync("authority", "add", "BW", A(1)));
        Ok(await _kp.RunAsync("member", "add", A(6), "--account", "1"));
        var parcel = Path.Combine(_root, "work", "p1.json");
        Ok(await _kp.RunAsync("new", "parcel", "--participant", "BW", "--mine", "Jwaneng", "--carats", "1000", "--value-usd", "117000", "--out", parcel));
        Ok(await _kp.RunAsync("submit", parcel));
        var hash = JsonDocument.Parse(Ok(await _kp.RunAsync("hash", parcel, "--json")).Out).RootElement.GetProperty("hash").GetString()!;

        // kp serve as a real process with no KP_MNEMONIC, stopped by SIGTERM once the record is anchored
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = _kp.WorkingDirectory };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "kp.dll"), "serve", "--account", "6", "--max-delay-ms", "10" }) psi.ArgumentList.Add(a);
        foreach (var (k, v) in _kp.Environment) psi.Environment[k] = v;
        psi.Environment.Remove("KP_MNEMONIC");
        var log = new System.Text.StringBuilder();
        using var serve = Process.Start(psi)!;
        serve.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        serve.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        serve.BeginOutputReadLine();
        serve.BeginErrorReadLine();
        Kp.Result where;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            do
            {
                await Task.Delay(200);
                where = await _kp.RunAsync("status", hash);
            } while (!where.Out.Contains("confirmed", StringComparison.Ordinal) && !serve.HasExited && DateTime.UtcNow < deadline);
        }
        finally
        {
            if (!serve.HasExited)
            {
                using var term = Process.Start("kill", ["-TERM", serve.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await term.WaitForExitAsync();
            }
            await serve.WaitForExitAsync();
        }
        Assert.True(where.Out.Contains("confirmed", StringComparison.Ordinal), $"{where}\nkp serve:\n{log}");
        Assert.Equal(0, serve.ExitCode);
    }

    [Fact]
    public async Task On_chain_57831_that_kp_did_not_start_the_dev_phrase_is_refused()
    {
        await using var node = await Traceability.Lab.DevChain.LocalNode.StartAsync(RepoPaths.Root, Traceability.Lab.DevChain.LocalNodeKind.BesuLike);
        var refused = await _kp.RunAsync("chain", "deploy", "--rpc", node.Url, "--json");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("chain 57831 is not a dev chain: set KP_MNEMONIC", JsonDocument.Parse(refused.Err).RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task With_two_nodes_up_deploy_asks_which_and_down_stops_only_the_one_named()
    {
        var a = await UpAsync();
        var b = await UpAsync();
        var ambiguous = await _kp.RunAsync("chain", "deploy", "--json");
        Assert.Equal(2, ambiguous.ExitCode);
        Assert.Equal("--port", JsonDocument.Parse(ambiguous.Err).RootElement.GetProperty("error").GetProperty("field").GetString());

        var bPort = b.GetProperty("port").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var record = JsonDocument.Parse(Ok(await _kp.RunAsync("chain", "deploy", "--port", bPort, "--json")).Out).RootElement;
        Assert.Equal(b.GetProperty("url").GetString(), record.GetProperty("record").GetProperty("rpcUrl").GetString());

        Ok(await _kp.RunAsync("chain", "down", "--port", bPort));
        Assert.True(LocalChainIsAlive(a.GetProperty("pid").GetInt32()));
        Assert.False(LocalChainIsAlive(b.GetProperty("pid").GetInt32()));
    }

    [Fact]
    public async Task Whoami_names_the_account_its_key_and_its_roles_on_the_registry()
    {
        await UpAsync();
        Ok(await _kp.RunAsync("chain", "deploy"));
        Ok(await _kp.RunAsync("account", "add", "bw-authority", "--index", "2"));
        Ok(await _kp.RunAsync("account", "add", "miner", "--index", "6"));
        Ok(await _kp.RunAsync("participant", "add", "BW"));
        Ok(await _kp.RunAsync("authority", "add", "BW", A(2)));
        Ok(await _kp.RunAsync("member", "add", A(6), "--account", "bw-authority"));

        var gov = JsonDocument.Parse(Ok(await _kp.RunAsync("whoami", "--json")).Out).RootElement;
        Assert.True(gov.GetProperty("governance").GetBoolean());
        Assert.Equal(A(0), gov.GetProperty("address").GetString());
        var authority = JsonDocument.Parse(Ok(await _kp.RunAsync("whoami", "--account", "bw-authority", "--json")).Out).RootElement;
        Assert.Equal(("BW", false), (authority.GetProperty("authorityOf").GetString(), authority.GetProperty("governance").GetBoolean()));
        var miner = await _kp.RunAsync("whoami", "--account", "miner");
        Assert.Contains("member of BW", Ok(miner).Out);
        Assert.Contains("index 6 of the dev test phrase", miner.Out);
    }

    private static bool LocalChainIsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
