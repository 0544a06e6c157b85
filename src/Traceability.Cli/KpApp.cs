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
        var root = Tree(new CommandRunner(output, error, environment, workingDirectory));
        var parse = root.Parse(args, new ParserConfiguration());
        if (parse.Errors.Count > 0)
        {
            var unknown = parse.Errors.Any(e => e.Message.StartsWith("Unrecognized command or argument", StringComparison.Ordinal));
            var messages = parse.Errors
                .Where(e => !(unknown && e.Message.StartsWith("Required command was not provided", StringComparison.Ordinal))) // the unknown word says it better
                .Select(e => Plain(e.Message, parse.CommandResult.Command)).Distinct().ToList();
            var first = messages[0];
            if (args.Contains("--json", StringComparer.Ordinal))
            {
                await new CliError(CliError.Codes.Usage, string.Join("; ", messages), CliError.FieldOf(first) ?? OptionNamedIn(parse.Errors[0].Message)).WriteAsync(error, json: true);
                return ExitCodes.BadInput;
            }
            foreach (var m in messages) await error.WriteLineAsync($"error: {m}");
            await error.WriteLineAsync("run kp --help (or kp <command> --help) for usage");
            return ExitCodes.BadInput;
        }
        if (parse.Action is System.CommandLine.Help.HelpAction && parse.CommandResult.Command != root)
        {
            // a command's help lists its own options; the global ones are listed once, by kp --help
            using var help = new StringWriter();
            var code = await parse.InvokeAsync(new InvocationConfiguration { Output = help, Error = error });
            await output.WriteAsync(WithoutGlobalOptions(help.ToString(), parse.CommandResult.Command));
            return code;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>A command's help text with the global options' lines replaced by one line naming them.</summary>
    internal static string WithoutGlobalOptions(string help, Command command)
    {
        // a command's own option that shares a global one's name (kp account add --keystore) stays
        var names = GlobalOptions.All.Select(o => o.Name).Except(command.Options.Where(o => !GlobalOptions.All.Contains(o)).Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
        var lines = help.Split('\n').ToList();
        var kept = lines.Where(l => !(l.StartsWith("  --", StringComparison.Ordinal) && names.Contains(l.TrimStart().Split(' ', 2)[0]))).ToList();
        while (kept.Count > 0 && kept[^1].Length == 0) kept.RemoveAt(kept.Count - 1);
        kept.Add("");
        kept.Add("Global options (every command; kp --help describes them): " + string.Join(" ", GlobalOptions.All.Select(o => o.Name)));
        kept.Add("");
        return string.Join('\n', kept);
    }

    /// <summary>kp's command tree, each command's action run by <paramref name="runner"/> (tests walk it: every command has a JSON Schema and an example).</summary>
    /// <param name="runner">Runs the commands' bodies.</param>
    public static RootCommand Tree(CommandRunner runner)
    {
        var root = new RootCommand("kp — Kimberley Process traceability: anchor and verify KP certificates and rough-diamond parcels on an Ethereum-compatible chain.\n"
            + "Exit codes: 0 success or Verified; 1 not verified or refused by the registry; 2 bad input or usage; 3 chain or deployment unavailable.\nExample: kp verify cert.json");
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
        root.Subcommands.Add(EpcisCommands.Epcis(runner));
        root.Subcommands.Add(NewCommands.New(runner));
        root.Subcommands.Add(ServiceCommands.Serve(runner));
        root.Subcommands.Add(ServiceCommands.Submit(runner));
        root.Subcommands.Add(ServiceCommands.Status(runner));
        root.Subcommands.Add(PortalCommand.Create(runner));
        root.Subcommands.Add(DemoCommand.Create(runner));
        root.Subcommands.Add(BenchCommand.Create(runner));
        root.Subcommands.Add(ResearchCommand.Create(runner));
        root.Subcommands.Add(IndexCommand.Create(runner));
        root.Subcommands.Add(StatsCommand.Create(runner));
        return root;
    }

    // System.CommandLine's own sentence for an option given without its value, in kp's shape ("--rpc: …")
    private static string Plain(string message, Command command)
    {
        const string Missing = "Required argument missing for option: '";
        const string MissingArgument = "Required argument missing for command: '";
        const string Unrecognized = "Unrecognized command or argument '";
        const string NoCommand = "Required command was not provided";
        var path = CommandPath(command);
        if (message.StartsWith(Missing, StringComparison.Ordinal))
        {
            var name = message[Missing.Length..].TrimEnd('.', '\'').TrimEnd('\'');
            return $"{name}: a value is required after {name} (see {path} --help)";
        }
        if (message.StartsWith(MissingArgument, StringComparison.Ordinal))
        {
            var arguments = command.Arguments.Where(a => !a.Hidden).Select(a => $"<{a.Name}>").ToList();
            var first = command.Arguments.FirstOrDefault(a => !a.Hidden)?.Name ?? "argument";
            return $"{first}: {path} needs {string.Join(" ", arguments)} (see {path} --help)";
        }
        if (message.StartsWith(Unrecognized, StringComparison.Ordinal))
        {
            var word = message[Unrecognized.Length..].TrimEnd('.').TrimEnd('\'');
            var shown = word.Length > 40 ? word[..40] + "…" : word;
            var known = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
            if (known.Count == 0) return $"'{shown}' is not an argument or option of {path} (see {path} --help)";
            var near = Suggestions.Nearest(word, known);
            return $"'{shown}' is not a command of {path}{(near is null ? "" : $"; did you mean {path} {near}?")} (commands: {string.Join(", ", known)})";
        }
        if (message.StartsWith(NoCommand, StringComparison.Ordinal))
        {
            return $"{path} needs a command: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))} (see {path} --help)";
        }
        return message;
    }

    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is Command c; s = c.Parents.FirstOrDefault()) names.Insert(0, c is RootCommand ? "kp" : c.Name);
        return string.Join(' ', names);
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
