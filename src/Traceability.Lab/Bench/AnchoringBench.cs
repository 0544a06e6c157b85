using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Traceability.Core.Json;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Lab.Capacity;
using Traceability.Lab.DevChain;
using Traceability.Lab.Research.Replay;
using Traceability.Service;
using Traceability.Service.Anchoring;
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
    /// the last is confirmed, telling <paramref name="work"/> how many are through. Returns the figures.
    /// </summary>
    /// <remarks>
    /// CPU per record is kp's own process time (every thread: intake, validation, store, signing, the feeder writing
    /// the files) from the first file to the last confirmation, divided by the records: unlike the wall figures it
    /// hardly moves when other processes share the cores. <paramref name="inFlight"/> is the service's
    /// MaxInFlightBatches (null: its default). The blocks are read back from the node (gas used over gas limit of each
    /// block holding a batch); the latency of a record runs from its file's rename into the drop folder to the moment
    /// the service marked it confirmed (the store's record of it). On the Besu-like node the run also tells the share of
    /// the network a KP year's origin parcels need at the rate measured (<see cref="NetworkShare"/>). With
    /// <paramref name="rate"/> the files are dropped at that many records a second (a steady flow: the latency of a record
    /// under that load) instead of all at once (a backlog: the most the service and the network take, and the latency
    /// is mostly the backlog's queue).
    /// </remarks>
    public static async Task<AnchoringBenchResult> RunAsync(string root, int n, int batch, int perFile, LocalNodeKind kind, TextWriter progress,
        IProgress<WorkProgress>? work = null, int? inFlight = null, double? rate = null)
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
            // the drop files' bytes are made before the clock starts: the bench measures the pipeline, not the producer
            var files = new List<(string Name, byte[] Bytes)>();
            for (var i = 0; i < n; i += perFile)
            {
                var lines = Enumerable.Range(i, Math.Min(perFile, n - i)).Select(k => RecordJson.Write(new ParcelRecord(
                    $"BENCH-{k:D7}", bw, [bw], "Jwaneng", 10_000 + (ulong)k % 5_000, 1_170_000, "7102.10", 1_793_491_200, Salt.New())));
                files.Add(perFile == 1
                    ? ($"parcel-{i:D7}.json", Encoding.UTF8.GetBytes(lines.Single()))
                    : ($"parcels-{i:D7}.jsonl", Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l.ReplaceLineEndings("") + "\n")))));
            }
            generate.Stop();

            var service = new ServiceLayout(Path.Combine(folder, "service"));
            var depth = inFlight ?? new AnchoringOptions().MaxInFlightBatches;
            using var host = ServiceHost.Build([], new Dictionary<string, string?>
            {
                ["Anchoring:MaxInFlightBatches"] = depth.ToString(CultureInfo.InvariantCulture),
                ["Anchoring:ServiceDirectory"] = service.Directory,
                ["Anchoring:DeploymentPath"] = deploymentPath,
                ["Anchoring:AccountIndex"] = "6",
                ["Anchoring:MaxBatchSize"] = batch.ToString(CultureInfo.InvariantCulture),
                ["Anchoring:MaxBatchDelayMs"] = "100",
                ["Anchoring:PollIntervalMs"] = "10",
            }, logging: _ => { }, environment: node.Environment, inProcess: true);
            await host.StartAsync();
            var store = host.Services.GetRequiredService<RecordStore>();
            var anchorer = host.Services.GetRequiredService<Anchorer>();
            var dropped = new Dictionary<string, long>();
            var mostInFlight = 0;
            var inbox = service.Inbox;
            Directory.CreateDirectory(inbox);

            progress.WriteLine($"feeding them through the drop folder to confirmation (batches of {batch})…");
            using var self = Process.GetCurrentProcess();
            var cpuBefore = self.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var feed = Task.Run(async () =>
            {
                var fed = 0L;
                foreach (var (name, bytes) in files)
                {
                    if (rate is { } perSecond && TimeSpan.FromSeconds(fed / perSecond) - clock.Elapsed is { Ticks: > 0 } wait) await Task.Delay(wait);
                    fed += perFile;
                    var path = Path.Combine(inbox, name);
                    File.WriteAllBytes(path + ".tmp", bytes);
                    File.Move(path + ".tmp", path);
                    dropped[name] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                }
            });
            long confirmed = 0, rejected = 0;
            var lastFull = Stopwatch.StartNew();
            while (confirmed + rejected < n)
            {
                await Task.Delay(100);
                mostInFlight = Math.Max(mostInFlight, anchorer.InFlight);
                // the cheap count (batches and rejections: two small reads) every time; the full count of every record now and then
                (confirmed, rejected) = store.Settled();
                if (confirmed + rejected < n && lastFull.Elapsed > TimeSpan.FromSeconds(5))
                {
                    var counts = store.Counts();
                    (confirmed, rejected) = (counts[RecordStage.Confirmed], counts[RecordStage.Rejected]);
                    lastFull.Restart();
                }
                work?.Report(new WorkProgress("records through (confirmed or rejected)", confirmed + rejected, n));
                if (clock.Elapsed > TimeSpan.FromMinutes(20)) throw new TimeoutException($"only {confirmed:N0} of {n:N0} confirmed after 20 minutes");
            }
            await feed;
            clock.Stop();
            self.Refresh();
            var cpu = self.TotalProcessorTime - cpuBefore;
            var (gas, gasRecords, batches) = store.ConfirmedGas();
            var gasBudget = anchorer.GasBudget;
            await host.StopAsync();
            var blocks = await BlockFigures.MeasureAsync(net.Rpc, store.ConfirmedBlocks().Select(b => (b.Block, b.Batches, b.Records)));
            var latency = Latency.Of(store.ConfirmationTimes().Where(t => dropped.ContainsKey(t.File)).Select(t => ((double)(t.ConfirmedAt - dropped[t.File]), t.Records)));
            self.Refresh();
            return new AnchoringBenchResult(kind, n, perFile, confirmed, rejected, Math.Round(clock.Elapsed.TotalSeconds, 2),
                Math.Round(n / clock.Elapsed.TotalSeconds), batches, gasRecords == 0 ? 0 : gas / gasRecords,
                (long)Math.Round(self.PeakWorkingSet64 / 1_048_576.0), PeakRssMb(node.ProcessId), Math.Round(generate.Elapsed.TotalSeconds, 2))
            {
                InFlightBatches = depth,
                FeedRecordsPerSecond = rate,
                MostBatchesInFlight = mostInFlight,
                GasInFlightBudget = gasBudget is { } b ? (long)b : null,
                Blocks = blocks,
                Latency = latency,
                // at a set rate the blocks hold what was fed, not what fits: the share of the network is told for a backlog only
                Network = kind == LocalNodeKind.BesuLike && rate is null ? NetworkShare.Of(blocks, gasRecords, gas, ReplayPlan.ParcelsAtFullScale) : null,
                CpuMicrosecondsPerRecord = Math.Round(cpu.TotalMicroseconds / n, 1),
                CpuSeconds = Math.Round(cpu.TotalSeconds, 2),
            };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static long? PeakRssMb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }
}

/// <summary>The figures of an anchoring benchmark.</summary>
/// <param name="Node">The local node it ran on.</param>
/// <param name="Records">Parcel records fed through the drop folder.</param>
/// <param name="RecordsPerFile">Records per drop-folder file.</param>
/// <param name="Confirmed">Records anchored and confirmed.</param>
/// <param name="Rejected">Records rejected.</param>
/// <param name="Seconds">Seconds from the drop folder to the last confirmation.</param>
/// <param name="RecordsPerSecond">Records confirmed per second.</param>
/// <param name="BatchTransactions">Batch transactions sent.</param>
/// <param name="GasPerRecord">Gas per confirmed record.</param>
/// <param name="PeakMemoryMb">Peak memory of kp, MB.</param>
/// <param name="NodePeakMemoryMb">Peak memory of the node, MB (null where /proc cannot tell).</param>
/// <param name="GeneratingSeconds">Seconds spent generating the documents.</param>
public sealed record AnchoringBenchResult(LocalNodeKind Node, int Records, int RecordsPerFile, long Confirmed, long Rejected, double Seconds,
    double RecordsPerSecond, long BatchTransactions, long GasPerRecord, long PeakMemoryMb, long? NodePeakMemoryMb, double GeneratingSeconds)
{
    /// <summary>Batch transactions the service may keep in flight at most (MaxInFlightBatches, a ceiling).</summary>
    public int InFlightBatches { get; init; }

    /// <summary>Records a second the files were dropped at (null: all at once).</summary>
    public double? FeedRecordsPerSecond { get; init; }

    /// <summary>Most batch transactions seen in flight at once (sampled every 100 ms).</summary>
    public int MostBatchesInFlight { get; init; }

    /// <summary>Most gas the service kept in flight: two blocks' gas limit (null: no batch was sent).</summary>
    public long? GasInFlightBudget { get; init; }

    /// <summary>How the batches took the blocks.</summary>
    public BlockFigures Blocks { get; init; } = BlockFigures.None;

    /// <summary>From a record's file in the drop folder to its confirmation in the store.</summary>
    public Latency Latency { get; init; } = new(0, 0, 0);

    /// <summary>On the Besu-like node, files dropped all at once: the share of the network a KP year's origin parcels need at the rate measured (null elsewhere).</summary>
    public NetworkShare? Network { get; init; }

    /// <summary>kp's process CPU time (all threads) from the first file to the last confirmation, in seconds.</summary>
    public double CpuSeconds { get; init; }

    /// <summary>That CPU time per record, in microseconds: the figure other processes on the machine hardly move.</summary>
    public double CpuMicrosecondsPerRecord { get; init; }

    /// <summary>The figures for people, in the order they are printed.</summary>
    public IEnumerable<(string Key, string Value)> Fields()
    {
        var c = CultureInfo.InvariantCulture;
        yield return ("node", Node.ToString());
        yield return ("records", Records.ToString("N0", c));
        yield return ("records per drop-folder file", RecordsPerFile.ToString(c));
        yield return ("confirmed", Confirmed.ToString("N0", c));
        yield return ("rejected", Rejected.ToString("N0", c));
        yield return ("dropped", FeedRecordsPerSecond is { } f ? $"{f.ToString("N0", c)} records a second" : "all at once");
        yield return ("seconds (drop folder -> confirmed)", Seconds.ToString("0.00", c));
        yield return ("records per second", RecordsPerSecond.ToString("N0", c));
        yield return ("batch transactions", BatchTransactions.ToString(c));
        yield return ("batches in flight at most (ceiling / seen)", $"{InFlightBatches.ToString(c)} / {MostBatchesInFlight.ToString(c)}");
        yield return ("gas in flight at most (two blocks)", GasInFlightBudget?.ToString("N0", c) ?? "n/a");
        yield return ("blocks used / spanned", $"{Blocks.BlocksUsed.ToString(c)} / {Blocks.BlocksSpanned.ToString(c)}");
        yield return ("block fill (used blocks / span)", $"{Blocks.MeanFill.ToString("P1", c)} / {Blocks.SpanFill.ToString("P1", c)}");
        yield return ("batches per block (mean / most)", $"{Blocks.TransactionsPerBlock.ToString("0.00", c)} / {Blocks.MostTransactionsInABlock.ToString(c)}");
        yield return ("latency drop -> confirmed p50 / p99 / max (s)", $"{Latency.P50Seconds.ToString("0.00", c)} / {Latency.P99Seconds.ToString("0.00", c)} / {Latency.MaxSeconds.ToString("0.00", c)}");
        if (Network is { } net)
        {
            yield return ("records per second the network took (blocks spanned)", net.RecordsPerSecond.ToString("N0", c));
            yield return ($"a year's {net.YearRecords.ToString("N0", c)} origin parcels at this rate",
                $"{net.YearBlocks.ToString("N0", c)} blocks ({net.YearHours.ToString("0.0", c)} h): {net.MeasuredShare.ToString("P4", c)} of the network (full blocks: {net.ProjectedShare.ToString("P4", c)})");
        }
        yield return ("kp CPU seconds (all threads)", CpuSeconds.ToString("0.00", c));
        yield return ("kp CPU per record (µs)", CpuMicrosecondsPerRecord.ToString("0.0", c));
        yield return ("gas per record", GasPerRecord.ToString("N0", c));
        yield return ("peak memory of kp (MB)", PeakMemoryMb.ToString(c));
        yield return ("peak memory of the node (MB)", NodePeakMemoryMb?.ToString(c) ?? "n/a");
        yield return ("generating the documents (s)", GeneratingSeconds.ToString("0.00", c));
    }
}
