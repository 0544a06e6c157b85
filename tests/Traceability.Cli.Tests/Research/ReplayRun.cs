using System.Globalization;
using Traceability.Lab.DevChain;
using Traceability.Testing;

namespace Traceability.Cli.Tests.Research;

/// <summary>The tests of this collection read one small replay (<see cref="ReplayRun"/>) and its chain.</summary>
[CollectionDefinition("replay")]
public sealed class ReplayCollection : ICollectionFixture<ReplayRun>;

/// <summary>
/// One small replay, run once for every test that reads it: <c>kp research replay --year 2023 --scale 0.005 --attacks-share 0.05</c>
/// with <c>--rpc</c> on a Hardhat node this fixture owns, so the chain it anchored outlives kp and can be indexed
/// (a node kp starts itself is gone when kp exits). The node is stopped, by its process, when the collection is done.
/// </summary>
public sealed class ReplayRun : IAsyncLifetime
{
    /// <summary>The year replayed.</summary>
    public const int Year = 2023;

    private readonly string _root = Directory.CreateTempSubdirectory("kp-replay-").FullName;

    /// <summary>The node the replay anchored on.</summary>
    public LocalNode Node { get; private set; } = null!;

    /// <summary>What kp research replay --json returned.</summary>
    public Kp.Result Result { get; private set; } = null!;

    /// <summary>The replay's --out folder (documents/, attacks/, deployment.json, replay.json).</summary>
    public string Output => Path.Combine(_root, "replay");

    /// <summary>The documents the trade's participants hold (documents/ of the output folder).</summary>
    public string Documents => Path.Combine(Output, "documents");

    /// <summary>A fresh folder under the run's temporary folder.</summary>
    public string Folder(string name) => Directory.CreateDirectory(Path.Combine(_root, name)).FullName;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Node = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Hardhat);
        var kp = new Kp(new() { ["KP_REPO"] = RepoPaths.Root, ["KP_HOME"] = Folder("home") }) { WorkingDirectory = _root };
        Result = await kp.RunAsync("research", "replay", "--year", Year.ToString(CultureInfo.InvariantCulture), "--scale", "0.005", "--attacks-share", "0.05",
            "--out", Output, "--rpc", Node.Url, "--json");
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Node is not null) await Node.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Production by participant in a year, carats and US$, straight from the public figures' CSV (not through the replay's reader nor kp stats').</summary>
    public static Dictionary<string, (decimal Carats, decimal Usd)> PublicProduction(int year)
    {
        var figures = new Dictionary<string, (decimal Carats, decimal Usd)>();
        foreach (var line in File.ReadLines(Path.Combine(RepoPaths.Root, "samples", "kp-statistics", "kp-statistics.csv")).Skip(1))
        {
            // row_id,category,year,entity,iso2,metric,value,... : the first seven fields of a production row are never quoted
            var f = line.Split(',');
            if (f.Length < 7 || f[1] != "production_by_country" || f[2] != year.ToString(CultureInfo.InvariantCulture) || f[4].Length != 2) continue;
            var value = decimal.Parse(f[6], CultureInfo.InvariantCulture);
            var (carats, usd) = figures.GetValueOrDefault(f[4]);
            if (f[5] == "production_volume" && carats == 0) carats = value; // the first figure of a metric, as the replay reads it
            if (f[5] == "production_value" && usd == 0) usd = value;
            figures[f[4]] = (carats, usd);
        }
        return figures.Where(p => p.Value.Carats > 0).ToDictionary();
    }
}
