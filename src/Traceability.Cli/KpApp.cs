using System.Collections;
using System.CommandLine;
using Traceability.Cli.Commands;
using Traceability.Cli.Infrastructure;

namespace Traceability.Cli;

/// <summary>kp: the command tree, runnable in-process (tests) or as the program.</summary>
public static class KpApp
{
    /// <summary>Runs kp with <paramref name="args"/>; returns the exit code.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="environment">Environment variables (default: the process's).</param>
    /// <param name="workingDirectory">The folder kp runs in (default: the process's current folder).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        environment ??= Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
        var runner = new CommandRunner(output, error, environment, workingDirectory);
        var root = new RootCommand("kp — Kimberley Process traceability: anchor and verify KP certificates and rough-diamond parcels on an Ethereum-compatible chain.\n"
            + "Exit codes: 0 success or Verified; 1 not verified or refused by the registry; 2 bad input or usage; 3 chain or deployment unavailable.");
        foreach (var o in GlobalOptions.All) root.Options.Add(o);
        root.Subcommands.Add(ChainCommands.Chain(runner));
        root.Subcommands.Add(ConfigCommands.Config(runner));
        root.Subcommands.Add(ConfigCommands.Network(runner));
        root.Subcommands.Add(ConfigCommands.Account(runner));
        root.Subcommands.Add(ConfigCommands.WhoAmI(runner));
        root.Subcommands.Add(GovernanceCommands.Participant(runner));
        root.Subcommands.Add(GovernanceCommands.Authority(runner));
        root.Subcommands.Add(GovernanceCommands.Member(runner));
        root.Subcommands.Add(GovernanceCommands.Flag(runner));
        root.Subcommands.Add(ParcelCommands.Parcel(runner));
        root.Subcommands.Add(ParcelCommands.Anchor(runner));
        root.Subcommands.Add(CertCommands.Cert(runner));
        root.Subcommands.Add(VerifyCommand.Create(runner));
        root.Subcommands.Add(HashCommands.Hash(runner));
        root.Subcommands.Add(HashCommands.Salt(runner));
        root.Subcommands.Add(HashCommands.Merkle(runner));
        root.Subcommands.Add(NewCommands.New(runner));
        root.Subcommands.Add(ServiceCommands.Serve(runner));
        root.Subcommands.Add(ServiceCommands.Submit(runner));
        root.Subcommands.Add(ServiceCommands.Status(runner));
        root.Subcommands.Add(PortalCommand.Create(runner));
        root.Subcommands.Add(DemoCommand.Create(runner));
        root.Subcommands.Add(BenchCommand.Create(runner));
        root.Subcommands.Add(ResearchCommand.Create(runner));

        var parse = root.Parse(args, new ParserConfiguration());
        if (parse.Errors.Count > 0)
        {
            var first = parse.Errors[0].Message;
            if (args.Contains("--json", StringComparer.Ordinal))
            {
                await new CliError(CliError.Codes.Usage, string.Join("; ", parse.Errors.Select(e => e.Message)), CliError.FieldOf(first) ?? OptionNamedIn(first)).WriteAsync(error, json: true);
                return ExitCodes.BadInput;
            }
            foreach (var e in parse.Errors) await error.WriteLineAsync($"error: {e.Message}");
            await error.WriteLineAsync("run kp --help (or kp <command> --help) for usage");
            return ExitCodes.BadInput;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    // System.CommandLine's messages quote the option: "Cannot parse argument 'x' for option '--carats' ..."
    private static string? OptionNamedIn(string message)
    {
        var at = message.IndexOf("'--", StringComparison.Ordinal);
        if (at < 0) return null;
        var end = message.IndexOf('\'', at + 1);
        return end < 0 ? null : message[(at + 1)..end];
    }
}
