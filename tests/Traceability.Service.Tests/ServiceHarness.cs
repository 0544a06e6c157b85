using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Hosting;
using Traceability.Chain.Connection;
using Traceability.Core.Json;
using Traceability.Core.Records;
using Traceability.Service.Hosting;
using Traceability.Service.Store;
using Traceability.Testing;

namespace Traceability.Service.Tests;

/// <summary>A service folder on a test registry: start the service in-process or as a child process, drop documents, wait.</summary>
public sealed class ServiceHarness : IDisposable
{
    private ServiceHarness(TestRegistry registry, string folder, Lab.DevChain.LocalNode node)
    {
        Registry = registry;
        Node = node;
        Folder = folder;
        DeploymentPath = Path.Combine(folder, "deployment.json");
        registry.Deployment.Write(DeploymentPath);
    }

    public TestRegistry Registry { get; }

    /// <summary>The node the registry stands on (its <see cref="Lab.DevChain.LocalNode.Environment"/> names the service's phrase).</summary>
    public Lab.DevChain.LocalNode Node { get; }

    public string Folder { get; }

    public string DeploymentPath { get; }

    public ServiceLayout Layout => new(Path.Combine(Folder, "service"));

    public string ServiceDirectory => Layout.Directory;

    public string Inbox => Layout.Inbox;

    public string Rejected => Layout.Rejected;

    public string StorePath => Layout.StorePath;

    public static async Task<ServiceHarness> CreateAsync(Lab.DevChain.LocalNode node) =>
        new(await TestRegistry.DeployAsync(node), Directory.CreateTempSubdirectory("kp-service-").FullName, node);

    /// <summary>Settings of a service sending as the BW member (account 6), tuned for tests.</summary>
    public Dictionary<string, string?> Settings(int account = TestRegistry.BwMiner) => new()
    {
        ["Anchoring:ServiceDirectory"] = ServiceDirectory,
        ["Anchoring:DeploymentPath"] = DeploymentPath,
        ["Anchoring:AccountIndex"] = account.ToString(CultureInfo.InvariantCulture),
        ["Anchoring:MaxBatchSize"] = "200",
        ["Anchoring:MaxBatchDelayMs"] = "50",
        ["Anchoring:PollIntervalMs"] = "20",
        // generous: on a busy 2-core machine a healthy node can take seconds to answer (a 2 s bound
        // made the end-to-end test fail now and then in the full suite); outage tests do not need it short
        ["Anchoring:RpcTimeoutSeconds"] = "15",
        ["Anchoring:MaxRetryDelayMs"] = "500",
        ["Anchoring:DeploymentCheckSeconds"] = "1",
    };

    public IHost StartInProcess(Dictionary<string, string?>? settings = null)
    {
        var host = ServiceHost.Build([], settings ?? Settings(), logging: _ => { }, environment: Node.Environment);
        host.Start();
        return host;
    }

    private readonly List<int> _children = [];

    /// <summary>Runs the service's own program as a child process (so a test can SIGKILL it); its output goes to <paramref name="log"/> when given.</summary>
    public Process StartChild(Dictionary<string, string?>? settings = null, Dictionary<string, string>? environment = null, StringBuilder? log = null)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Traceability.Service.dll"));
        foreach (var (k, v) in settings ?? Settings()) psi.ArgumentList.Add($"--{k}={v}");
        if (Node.Environment(AccountSource.MnemonicVariable) is { } phrase) psi.Environment[AccountSource.MnemonicVariable] = phrase;
        foreach (var (k, v) in environment ?? []) psi.Environment[k] = v;
        var p = Process.Start(psi)!;
        lock (_children) _children.Add(p.Id);
        void Append(string? line)
        {
            if (line is null || log is null) return;
            lock (log) log.AppendLine(line);
        }
        p.OutputDataReceived += (_, e) => Append(e.Data);
        p.ErrorDataReceived += (_, e) => Append(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>Writes each record as a file in the inbox: written under a temporary name, then renamed.</summary>
    public void Drop(params KpRecord[] records)
    {
        Directory.CreateDirectory(Inbox);
        foreach (var r in records) DropText($"{r.Hash().ToString()[2..14]}.json", RecordJson.Write(r));
    }

    /// <summary>Writes a raw file into the inbox, the complete way (temporary name, then rename).</summary>
    public void DropText(string name, string text)
    {
        Directory.CreateDirectory(Inbox);
        var path = Path.Combine(Inbox, name);
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Writes records as one JSON Lines file.</summary>
    public void DropLines(string name, IEnumerable<KpRecord> records) =>
        DropText(name, string.Join("\n", records.Select(r => RecordJson.Write(r).ReplaceLineEndings(""))) + "\n");

    /// <summary>Waits until every received record is confirmed or rejected and there are <paramref name="expected"/> of them.</summary>
    public async Task<IReadOnlyDictionary<RecordStage, long>> WaitSettledAsync(int expected, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        using var store = new RecordStore(StorePath);
        while (true)
        {
            var counts = store.Counts();
            if (counts[RecordStage.Confirmed] + counts[RecordStage.Rejected] >= expected
                && counts[RecordStage.Received] + counts[RecordStage.Pending] + counts[RecordStage.Submitted] == 0) return counts;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("not settled: " + string.Join(", ", counts.Select(c => $"{c.Key}={c.Value}")));
            await Task.Delay(50);
        }
    }

    public RecordStore OpenStore() => new(StorePath);

    public void Dispose()
    {
        // a test that failed half-way must not leave its services running (they would poll a dead node for hours)
        lock (_children)
        {
            foreach (var pid in _children)
            {
                try
                {
                    using var child = Process.GetProcessById(pid);
                    if (!child.HasExited) child.Kill(entireProcessTree: true);
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // gone already
                }
            }
        }
        Registry.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
