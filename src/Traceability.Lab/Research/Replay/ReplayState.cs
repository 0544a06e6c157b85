using System.Text.Json;
using System.Text.Json.Serialization;

namespace Traceability.Lab.Research.Replay;

/// <summary>
/// replay-state.json in the output folder: what a run has done, so that a run stopped by Ctrl+C or a crash can
/// resume. The documents are rebuilt from the same seed (identical), and the chain is re-checked batch by batch;
/// the counts here are the run's own account of where it stood.
/// </summary>
internal sealed record ReplayState
{
    public const string FileName = "replay-state.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public required int Year { get; init; }
    public required decimal Scale { get; init; }
    public required decimal AttacksShare { get; init; }
    public required int Seed { get; init; }
    public required string Node { get; init; }
    public string? Registry { get; set; }
    public ulong DeploymentBlock { get; set; }
    public ulong ChainNow { get; set; }
    public bool SetUp { get; set; }
    public long RecordsWritten { get; set; }
    public Dictionary<string, int> BatchesLanded { get; init; } = [];
    public Dictionary<string, string> Nonces { get; init; } = [];
    public bool Anchored { get; set; }
    public bool Finished { get; set; }

    public bool SamePlan(ReplayPlan plan) =>
        Year == plan.Year && Scale == plan.Scale && AttacksShare == plan.AttacksShare && Seed == plan.Seed && Node == plan.Node.ToString();

    public static ReplayState? Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<ReplayState>(File.ReadAllText(path), Options) : null;
    }

    public void Write(string folder)
    {
        var path = Path.Combine(folder, FileName);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(this, Options));
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
