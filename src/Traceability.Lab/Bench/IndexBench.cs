using System.Diagnostics;
using System.Globalization;
using Traceability.Lab.Index;

namespace Traceability.Lab.Bench;

/// <summary>One typical query of the index, timed.</summary>
/// <param name="Query">What it asks.</param>
/// <param name="Rows">Rows it returned.</param>
/// <param name="WallMs">Mean wall time of a run, ms (the page cache warm: one run first, not counted).</param>
/// <param name="CpuMs">Mean CPU time of kp's process for a run, ms.</param>
public sealed record IndexQueryTiming(string Query, int Rows, double WallMs, double CpuMs);

/// <summary>How SQLite runs one typical query.</summary>
/// <param name="Query">What it asks.</param>
/// <param name="Steps">The detail lines of EXPLAIN QUERY PLAN.</param>
public sealed record IndexQueryPlan(string Query, IReadOnlyList<string> Steps);

/// <summary>What kp bench index measured.</summary>
/// <param name="Parcels">Origin parcels in the generated index.</param>
/// <param name="Certificates">Certificates in it (ten parcels each).</param>
/// <param name="GenerateSeconds">Wall time to generate it.</param>
/// <param name="GenerateCpuSeconds">kp's CPU time to generate it.</param>
/// <param name="FileBytes">The index file's size.</param>
/// <param name="Runs">Runs of each query measured.</param>
/// <param name="Queries">Each query's timing.</param>
/// <param name="Plans">How SQLite runs each typical query (EXPLAIN QUERY PLAN).</param>
public sealed record IndexBenchResult(int Parcels, int Certificates, double GenerateSeconds, double GenerateCpuSeconds, long FileBytes, int Runs,
    IReadOnlyList<IndexQueryTiming> Queries, IReadOnlyList<IndexQueryPlan> Plans)
{
    /// <summary>The figures as name and value lines.</summary>
    public IEnumerable<(string Key, string Value)> Fields()
    {
        var c = CultureInfo.InvariantCulture;
        yield return ("index generated", $"{Parcels.ToString("N0", c)} origin parcels, {Certificates.ToString("N0", c)} certificates: {(FileBytes / 1e6).ToString("N0", c)} MB "
            + $"in {GenerateSeconds.ToString("0.0", c)} s ({GenerateCpuSeconds.ToString("0.0", c)} s CPU)");
        foreach (var q in Queries)
        {
            yield return (q.Query, $"{q.Rows.ToString("N0", c)} rows, {q.CpuMs.ToString("0.0", c)} ms CPU, {q.WallMs.ToString("0.0", c)} ms wall (mean of {Runs.ToString(c)})");
        }
        foreach (var p in Plans) yield return ($"plan: {p.Query}", string.Join("; ", p.Steps));
    }
}

/// <summary>
/// kp bench index: the index's typical queries (<see cref="IndexQueries"/>) on an index generated at a given size
/// (<see cref="IndexSample"/>; by default the replay's, 600,000 origin parcels and 60,000 certificates), timed in CPU
/// and wall time. A benchmark, not a test: the tests check the answers and that every query reads through an index.
/// </summary>
public static class IndexBench
{
    /// <summary>Generates the index in <paramref name="folder"/> (its file is deleted after) and times each query <paramref name="runs"/> times.</summary>
    public static IndexBenchResult Run(string folder, int parcels, int certificates, int runs, TextWriter progress)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"kp-bench-index-{Guid.NewGuid():N}.sqlite");
        try
        {
            progress.WriteLine($"generating an index of {parcels:N0} origin parcels and {certificates:N0} certificates…");
            var (wall, cpu) = (Stopwatch.StartNew(), Cpu());
            using (var store = IndexStore.Open(path, create: true)) IndexSample.Generate(store, parcels, certificates, year: 2023);
            var (generated, generatedCpu) = (wall.Elapsed.TotalSeconds, (Cpu() - cpu).TotalSeconds);
            using var index = IndexStore.Open(path, create: false);
            var timings = new List<IndexQueryTiming>();
            void Measure(string name, Func<int> query)
            {
                var rows = query(); // warm the page cache, as a second question would find it
                var (clock, before) = (Stopwatch.StartNew(), Cpu());
                for (var i = 0; i < runs; i++) query();
                timings.Add(new IndexQueryTiming(name, rows, Math.Round(clock.Elapsed.TotalMilliseconds / runs, 2), Math.Round((Cpu() - before).TotalMilliseconds / runs, 2)));
            }
            Measure("flows by pair and quarter, 2023", () => IndexQueries.Flows(index, 2023).Count);
            Measure("flows of one pair by quarter", () => IndexQueries.Flows(index, 2023, "BW", "AE").Count);
            Measure("origin parcels by participant and quarter", () => IndexQueries.Origins(index, 2023).Count);
            if (IndexQueries.AnyCertificate(index) is { } one) Measure("parcels of one certificate", () => IndexQueries.ParcelsOf(index, one.Exporter, one.NumberHash).Count);
            var plans = IndexQueries.Typical.Select(q => new IndexQueryPlan(q.Name, IndexQueries.Plan(index, q.Sql))).ToList();
            return new IndexBenchResult(parcels, certificates, Math.Round(generated, 2), Math.Round(generatedCpu, 2), new FileInfo(path).Length, runs, timings, plans);
        }
        finally
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
        }
    }

    private static TimeSpan Cpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
