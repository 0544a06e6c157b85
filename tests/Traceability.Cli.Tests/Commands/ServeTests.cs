using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Traceability.Chain.Accounts;
using Traceability.Core.Json;
using Traceability.Core.Records;
using Traceability.Lab.DevChain;
using Traceability.Service;
using Traceability.Service.Store;
using Traceability.Testing;
using static Traceability.Cli.Tests.KpStory;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Cli.Tests.Commands;

/// <summary>
/// Issue 7, items 8, 9 and 11 through kp: kp serve rides out a node that drops right after it
/// connects and stops (non-zero) only on a reset chain; one kp serve per folder; kp submit keeps a
/// store to its deployment and takes a rejected document again.
/// </summary>
[Trait("Category", "Chain")]
[Collection("hardhat")]
public class ServeTests(HardhatFixture fixture)
{
    private sealed class Serve(Process process, StringBuilder log) : IAsyncDisposable
    {
        public Process Process { get; } = process;

        public string Log
        {
            get
            {
                lock (log) return log.ToString();
            }
        }

        public async Task<bool> ExitedAsync(TimeSpan within)
        {
            using var cts = new CancellationTokenSource(within);
            try
            {
                await Process.WaitForExitAsync(cts.Token);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited)
            {
                Signal("TERM");
                if (!await ExitedAsync(TimeSpan.FromSeconds(30))) Signal("KILL");
                await Process.WaitForExitAsync();
            }
            Process.Dispose();
        }

        public void Signal(string signal)
        {
            if (Process.HasExited) return;
            using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
            kill.WaitForExit();
        }
    }

    /// <summary>kp serve as a real process (the way people run it), its output captured.</summary>
    private static Serve StartServe(string deployment, Dictionary<string, string>? environment = null, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "kp.dll"), "serve", "--account", "6", "--max-delay-ms", "10" }.Concat(args)) psi.ArgumentList.Add(a);
        psi.Environment["KP_DEPLOYMENT"] = deployment;
        psi.Environment["KP_Anchoring__MaxRetryDelayMs"] = "500";
        psi.Environment["KP_Anchoring__RpcTimeoutSeconds"] = "5";
        psi.Environment["KP_Anchoring__DeploymentCheckSeconds"] = "1";
        foreach (var (k, v) in environment ?? []) psi.Environment[k] = v;
        var log = new StringBuilder();
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Serve(process, log);
    }

    /// <summary>A deployment (through <paramref name="rpcUrl"/>) with BW, its authority and account 6 as a BW member.</summary>
    private static async Task<(Kp Kp, string Dir)> DeployAsync(string rpcUrl)
    {
        var dir = Directory.CreateTempSubdirectory("kp-serve-").FullName;
        var kp = new Kp(new() { ["KP_DEPLOYMENT"] = Path.Combine(dir, "deployment.json"), ["KP_MNEMONIC"] = Mnemonic.DevelopmentPhrase });
        Ok(await kp.RunAsync("chain", "deploy", "--rpc", rpcUrl));
        Ok(await kp.RunAsync("participant", "add", "BW"));
        Ok(await kp.RunAsync("authority", "add", "BW", Account(BwAuthority).Address));
        Ok(await kp.RunAsync("member", "add", Account(BwMiner).Address, "--account", "1"));
        return (kp, dir);
    }

    private static void Drop(string dir, string name, string text)
    {
        var inbox = new ServiceLayout(Path.Combine(dir, "service")).Inbox;
        Directory.CreateDirectory(inbox);
        File.WriteAllText(Path.Combine(inbox, "." + name), text);
        File.Move(Path.Combine(inbox, "." + name), Path.Combine(inbox, name));
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what, Serve? serve = null, int seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited in vain for {what}{(serve is null ? "" : "; kp serve said:\n" + serve.Log)}");
            await Task.Delay(100);
        }
    }

    private static RecordStage? StatusOf(string dir, string hash)
    {
        var path = new ServiceLayout(Path.Combine(dir, "service")).StorePath;
        if (!File.Exists(path)) return null;
        using var store = new RecordStore(path);
        return store.ByHash(hash).LastOrDefault()?.Stage;
    }

    [Fact]
    public async Task Serve_keeps_retrying_when_the_node_drops_right_after_it_connects_anchors_when_it_is_back_and_exits_3_on_a_reset_chain()
    {
        await using var proxy = new RpcProxy(fixture.Node.Url);
        var (_, dir) = await DeployAsync(proxy.Url);
        proxy.DownAfterChainId = true; // the next client to connect loses the node right after
        await using var serve = StartServe(Path.Combine(dir, "deployment.json"));

        await WaitForAsync(() => Task.FromResult(proxy.Down && proxy.Refused >= 4), "kp serve to connect and then retry", serve);
        var parcel = SampleRecords.OriginParcel("BW");
        Drop(dir, "parcel.json", RecordJson.Write(parcel));
        var dropped = proxy.Refused;
        await WaitForAsync(() => Task.FromResult(proxy.Refused >= dropped + 3), "more retries", serve);
        Assert.False(serve.Process.HasExited, "kp serve gave up on a node that is only down:\n" + serve.Log);
        Assert.NotEqual(RecordStage.Confirmed, StatusOf(dir, parcel.Hash().ToString()));

        proxy.Down = false; // the node is back
        await WaitForAsync(() => Task.FromResult(StatusOf(dir, parcel.Hash().ToString()) == RecordStage.Confirmed), "the parcel to be anchored", serve);
        Assert.False(serve.Process.HasExited);

        // now the chain behind the same URL is reset: a fatal cause, so kp serve stops, non-zero, saying why
        await using var fresh = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Hardhat);
        proxy.Upstream = fresh.Url;
        Assert.True(await serve.ExitedAsync(TimeSpan.FromSeconds(90)), "kp serve kept running on a reset chain:\n" + serve.Log);
        Assert.True(serve.Process.ExitCode == 3, serve.Log);
        Assert.Contains("no contract", serve.Log);
    }

    [Fact]
    public async Task A_second_kp_serve_on_a_folder_in_use_refuses_naming_the_holder_and_the_first_goes_on()
    {
        var (_, dir) = await DeployAsync(fixture.Node.Url);
        var deployment = Path.Combine(dir, "deployment.json");
        await using var first = StartServe(deployment);
        var p1 = SampleRecords.OriginParcel("BW");
        Drop(dir, "p1.json", RecordJson.Write(p1));
        await WaitForAsync(() => Task.FromResult(StatusOf(dir, p1.Hash().ToString()) == RecordStage.Confirmed), "the first kp serve to anchor", first);

        await using var second = StartServe(deployment);
        Assert.True(await second.ExitedAsync(TimeSpan.FromSeconds(60)), "the second kp serve runs beside the first:\n" + second.Log);
        Assert.Equal(3, second.Process.ExitCode);
        Assert.Contains($"in use by process {first.Process.Id} (kp serve", second.Log);
        Assert.Contains("--service-dir", second.Log);

        var p2 = SampleRecords.OriginParcel("BW");
        Drop(dir, "p2.json", RecordJson.Write(p2));
        await WaitForAsync(() => Task.FromResult(StatusOf(dir, p2.Hash().ToString()) == RecordStage.Confirmed), "the first kp serve to go on", first);
        first.Signal("TERM");
        Assert.True(await first.ExitedAsync(TimeSpan.FromSeconds(30)));
        Assert.True(first.Process.ExitCode == 0, "kp serve did not stop gracefully on SIGTERM:\n" + first.Log); // a graceful stop
    }

    [Fact]
    public async Task Submit_refuses_a_store_of_another_deployment_and_takes_a_rejected_document_again_once_its_cause_is_fixed()
    {
        var (kp, dir) = await DeployAsync(fixture.Node.Url);
        var parcel = SampleRecords.OriginParcel("BW");
        var file = Path.Combine(dir, "parcel.json");
        await File.WriteAllTextAsync(file, RecordJson.Write(parcel));
        Ok(await kp.RunAsync("submit", file));

        // another deployment on the same node, same service folder: refused, nothing stored
        var otherDir = Directory.CreateTempSubdirectory("kp-serve-other-").FullName;
        var other = new Kp(new() { ["KP_DEPLOYMENT"] = Path.Combine(otherDir, "deployment.json"), ["KP_MNEMONIC"] = Mnemonic.DevelopmentPhrase });
        Ok(await other.RunAsync("chain", "deploy", "--rpc", fixture.Node.Url));
        var mixed = await other.RunAsync("submit", file, "--service-dir", Path.Combine(dir, "service"));
        Assert.Equal(3, mixed.ExitCode);
        Assert.Contains(Chain.Deployment.DeploymentRecord.Read(Path.Combine(dir, "deployment.json")).Address, mixed.Err);
        Assert.Contains(Chain.Deployment.DeploymentRecord.Read(Path.Combine(otherDir, "deployment.json")).Address, mixed.Err);
        using (var store = new RecordStore(new ServiceLayout(Path.Combine(dir, "service")).StorePath)) Assert.Equal(1, store.Counts().Values.Sum());

        // a document the service rejected for a cause that has passed is taken again, not "already stored"
        var p2 = SampleRecords.OriginParcel("BW");
        var f2 = Path.Combine(dir, "p2.json");
        await File.WriteAllTextAsync(f2, RecordJson.Write(p2));
        long Id(Kp.Result r) => JsonDocument.Parse(r.Out).RootElement[0].GetProperty("id").GetInt64();
        var firstId = Id(Ok(await kp.RunAsync("submit", f2, "--json")));
        using (var store = new RecordStore(new ServiceLayout(Path.Combine(dir, "service")).StorePath))
        {
            store.Reject([new Rejection(firstId, RecordKind.Parcel, p2.Hash(), "NotAMember", "participant", "the service account was not yet a member")]);
        }
        var againId = Id(Ok(await kp.RunAsync("submit", f2, "--json")));
        Assert.NotEqual(firstId, againId);
        using (var store = new RecordStore(new ServiceLayout(Path.Combine(dir, "service")).StorePath))
        {
            Assert.Equal(RecordStage.Rejected, store.ById(firstId)!.Stage);
            Assert.Equal(RecordStage.Received, store.ById(againId)!.Stage);
        }
        Assert.Equal(againId, Id(Ok(await kp.RunAsync("submit", f2, "--json")))); // not yet rejected: the same record
    }
}
