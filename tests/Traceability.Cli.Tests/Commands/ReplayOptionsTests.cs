using System.Text.Json;
using Traceability.Testing;

namespace Traceability.Cli.Tests.Commands;

/// <summary>
/// kp research replay refuses what it cannot play before it starts a node, naming the option: a year the public figures do
/// not cover (and which years they do), an --out folder it cannot make, a --verify-concurrency out of 1-256.
/// </summary>
[Trait("Category", "Fast")]
public sealed class ReplayOptionsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kp-replay-options-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Kp Kp => new(new() { ["KP_REPO"] = RepoPaths.Root, ["KP_HOME"] = Path.Combine(_root, "home") }) { WorkingDirectory = _root };

    private static JsonElement Error(Kp.Result run)
    {
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Out);
        return JsonDocument.Parse(run.Err).RootElement.GetProperty("error");
    }

    [Fact]
    public async Task A_year_without_figures_names_the_years_the_sample_has()
    {
        var error = Error(await Kp.RunAsync("research", "replay", "--year", "2001", "--scale", "0.001", "--out", Path.Combine(_root, "r"), "--json"));
        Assert.Equal("--year", error.GetProperty("field").GetString());
        Assert.Contains("no production by country for 2001 (it has 2019, 2020, 2022, 2023, 2024)", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_year_out_of_range_is_said_without_thousands_separators()
    {
        var error = Error(await Kp.RunAsync("research", "replay", "--year", "1999", "--json"));
        Assert.Equal("--year: 1999 is out of range: from 2000 to 2100", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_out_folder_kp_cannot_make_is_refused_naming_out()
    {
        var file = Path.Combine(_root, "a-file");
        await File.WriteAllTextAsync(file, "not a folder");
        var error = Error(await Kp.RunAsync("research", "replay", "--scale", "0.001", "--out", Path.Combine(file, "inside"), "--json"));
        Assert.Equal("--out", error.GetProperty("field").GetString());
        Assert.StartsWith("--out: cannot make the folder ", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("257")]
    [InlineData("abc")]
    public async Task Verify_concurrency_beyond_1_to_256_is_refused_naming_it(string value)
    {
        var error = Error(await Kp.RunAsync("research", "replay", "--scale", "0.001", "--verify-concurrency", value, "--out", Path.Combine(_root, "r"), "--json"));
        Assert.Equal("--verify-concurrency", error.GetProperty("field").GetString());
        Assert.StartsWith("--verify-concurrency: ", error.GetProperty("message").GetString());
        Assert.False(Directory.Exists(Path.Combine(_root, "r")));
    }
}
