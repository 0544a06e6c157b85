using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Traceability.Core.Json;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Lab.DevChain;
using Traceability.Service;
using Traceability.Service.Hosting;
using Traceability.Service.Store;

namespace Traceability.Lab.Bench;

/// <summary>kp bench anchor's work: end-to-end throughput of the anchoring service on a fresh local node.</summary>
public static class AnchoringBench
{
    /// <summary>
    /// Starts a fresh <paramref name="kind"/> node from <paramref name="root"/>'s node_modules, deploys, makes
    /// account 6 a member of BW, starts the anchoring service in-process, feeds <paramref name="n"/> parcel
    /// documents through its drop folder (<paramref name="perFile"/> records a file) and stops the clock when
    /// the last is confirmed, telling <paramref name="work"/> how many are through. Returns the figures by name, in the order they are printed.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> RunAsync(string root, int n, int batch, int perFile, LocalNodeKind kind, TextWriter progress,
        IProgress<WorkProgress>? work = null)
    {
        var folder = Directory.CreateTempSubdirectory("kp-bench-").FullName;
        try
        {
            await using var node = await LocalNode.StartAsync(root, kind);
            using var net = await DevNetwork.DeployAsync(node.Url);
            var deploymentPath = Path.Combine(folder, "deployment.json");
            net.Deployment.Write(deploymentPath);
            var bw = ParticipantCode.Parse("BW");
            await net.As(0).AddParticipantAsync(bw);
            await net.As(0).AddAuthorityAsync(bw, DevNetwork.Account(1).Address);
            await net.As(1).AddMemberAsync(DevNetwork.Account(6).Address);

            progress.WriteLine($"generating {n:N0} parcel documents…");
            var generate = Stopwatch.StartNew();
            var documents = Enumerable.Range(0, n).Select(i => Encoding.UTF8.GetBytes(RecordJson.Write(new ParcelRecord(
                $"BENCH-{i:D7}", bw, [bw], "Jwaneng", 10_000 + (ulong)i % 5_000, 1_170_000, "7102.10", 1_793_491_200, Salt.New())))).ToList();
            generate.Stop();

            var service = new ServiceLayout(Path.Combine(folder, "service"));
            using var host = ServiceHost.Build([], new Dictionary<string, string?>
            {
                ["Anchoring:ServiceDirectory"] = service.Directory,
                ["Anchoring:DeploymentPath"] = deploymentPath,
                ["Anchoring:AccountIndex"] = "6",
                ["Anchoring:MaxBatchSize"] = batch.ToString(CultureInfo.InvariantCulture),
                ["Anchoring:MaxBatchDelayMs"] = "100",
                ["Anchoring:PollIntervalMs"] = "10",
            }, logging: _ => { });
            await host.StartAsync();
            var store = host.Services.GetRequiredService<RecordStore>();
            var inbox = service.Inbox;
            Directory.CreateDirectory(inbox);

            progress.WriteLine($"feeding them through the drop folder to confirmation (batches of {batch})…");
            var clock = Stopwatch.StartNew();
            var feed = Task.Run(() =>
            {
                for (var i = 0; i < documents.Count; i += perFile)
                {
                    var path = Path.Combine(inbox, perFile == 1 ? $"parcel-{i:D7}.json" : $"parcels-{i:D7}.jsonl");
                    if (perFile == 1) File.WriteAllBytes(path + ".tmp", documents[i]);
                    else File.WriteAllLines(path + ".tmp", documents.Skip(i).Take(perFile).Select(d => Encoding.UTF8.GetString(d).ReplaceLineEndings("")));
                    File.Move(path + ".tmp", path);
                }
            });
            long confirmed = 0, rejected = 0;
            while (confirmed + rejected < n)
            {
                await Task.Delay(50);
                var counts = store.Counts();
                confirmed = counts[RecordStage.Confirmed];
                rejected = counts[RecordStage.Rejected];
                work?.Report(new WorkProgress("records through (confirmed or rejected)", confirmed + rejected, n));
                if (clock.Elapsed > TimeSpan.FromMinutes(20)) throw new TimeoutException($"only {confirmed:N0} of {n:N0} confirmed after 20 minutes");
            }
            await feed;
            clock.Stop();
            var (gas, gasRecords, batches) = store.ConfirmedGas();
            await host.StopAsync();
            var self = Process.GetCurrentProcess();
            self.Refresh();
            return new Dictionary<string, string>
            {
                ["node"] = kind.ToString(),
                ["records"] = n.ToString("N0", CultureInfo.InvariantCulture),
                ["records per drop-folder file"] = perFile.ToString(CultureInfo.InvariantCulture),
                ["confirmed"] = confirmed.ToString("N0", CultureInfo.InvariantCulture),
                ["rejected"] = rejected.ToString("N0", CultureInfo.InvariantCulture),
                ["seconds (drop folder -> confirmed)"] = clock.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture),
                ["records per second"] = (n / clock.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture),
                ["batch transactions"] = batches.ToString(CultureInfo.InvariantCulture),
                ["gas per record"] = (gasRecords == 0 ? 0 : gas / gasRecords).ToString("N0", CultureInfo.InvariantCulture),
                ["peak memory of kp (MB)"] = (self.PeakWorkingSet64 / 1_048_576.0).ToString("0", CultureInfo.InvariantCulture),
                ["peak memory of the node (MB)"] = PeakRssMb(node.ProcessId),
                ["generating the documents (s)"] = generate.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture),
            };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string PeakRssMb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? "n/a" : (long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).ToString(CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
