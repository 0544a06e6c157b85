
namespace Traceability.Cli.Tests;

/// <summary>Runs kp in-process with captured output and a controlled environment.</summary>
public sealed class Kp(Dictionary<string, string?>? environment = null)
{
    public Dictionary<string, string?> Environment { get; } = environment ?? [];

    /// <summary>The folder kp runs in (default: the test process's).</summary>
    public string? WorkingDirectory { get; init; }

    public sealed record Result(int ExitCode, string Out, string Err)
    {
        public override string ToString() => $"exit {ExitCode}\n{Out}\n{Err}";
    }

    public async Task<Result> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await KpApp.RunAsync(args, output, error, Environment, WorkingDirectory);
        return new Result(code, output.ToString(), error.ToString());
    }
}
