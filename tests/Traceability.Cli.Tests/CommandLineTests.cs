using System.CommandLine;
using System.CommandLine.Help;
using Traceability.Cli.Infrastructure;

using static Traceability.Cli.Tests.KpStory;

namespace Traceability.Cli.Tests;

/// <summary>
/// kp's command line is consistent and says what it means: one spelling per option, participant codes and
/// choices in any case with "did you mean", RPC addresses checked with a sentence, an example in every help text.
/// </summary>
[Trait("Category", "Fast")]
public class CommandLineTests
{
    private readonly Kp _kp = new();

    private static void Usage(Kp.Result r, string named, string words)
    {
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.StartsWith($"error: {named}: ", r.Err);
        Assert.Contains(words, r.Err);
        Assert.DoesNotContain("   at ", r.Err + r.Out);
        Assert.DoesNotContain("Exception", r.Err + r.Out);
    }

    private static IEnumerable<(string Path, Command Command)> Walk(Command command, string path)
    {
        yield return (path, command);
        foreach (var sub in command.Subcommands)
        {
            foreach (var x in Walk(sub, $"{path} {sub.Name}")) yield return x;
        }
    }

    private static RootCommand Tree() => KpApp.Tree(new CommandRunner(TextWriter.Null, TextWriter.Null, new Dictionary<string, string?>()));

    // ChainCommands.cs is being edited by the lead: its examples come with that merge (then this list goes)
    [Fact]
    public void Every_command_s_help_ends_with_an_example()
    {
        var missing = Walk(Tree(), "kp")
            .Where(c => c.Command.Description is not { } d || !d.Split('\n')[^1].StartsWith("Example: kp ", StringComparison.Ordinal))
            .Select(c => c.Path).ToList();
        Assert.True(missing.Count == 0, "no example in the help of: " + string.Join(", ", missing));
        Assert.Contains(Walk(Tree(), "kp"), c => c.Path == "kp research simulate");
    }

    [Fact]
    public void Every_command_s_example_runs_that_command()
    {
        // the examples of a command are of the command itself (the member group's once showed kp authority add)
        var wrong = Walk(Tree(), "kp").Where(c => c.Path != "kp" && c.Command.Description is { } d)
            .SelectMany(c => c.Command.Description!.Split('\n').Where(l => l.StartsWith("Example: ", StringComparison.Ordinal))
                .Where(l => !(l + " ").Contains($" {c.Path} ", StringComparison.Ordinal))
                .Select(l => $"{c.Path}: {l}"))
            .ToList();
        Assert.True(wrong.Count == 0, "examples of another command: " + string.Join("; ", wrong));
    }

    [Fact]
    public async Task A_commands_help_lists_its_own_options_and_names_the_global_ones_once()
    {
        var kp = new Kp();
        var help = Ok(await kp.RunAsync("parcel", "register", "--help")).Out;
        Assert.Contains("<documents>", help);
        Assert.DoesNotContain("  --rpc ", help); // not described again in every command
        Assert.Single(help.Split('\n'), l => l.StartsWith("Global options", StringComparison.Ordinal) && l.Contains("--rpc") && l.Contains("--account") && l.Contains("--json"));
        var certHelp = Ok(await kp.RunAsync("cert", "issue", "--help")).Out;
        Assert.Contains("--sign-only", certHelp); // a command's own options stay
        var rootHelp = Ok(await kp.RunAsync("--help")).Out;
        Assert.Contains("  --rpc ", rootHelp); // kp --help describes them
        Assert.Contains("JSON-RPC endpoint", rootHelp);
    }

    [Fact]
    public async Task Help_shows_a_commands_own_option_of_a_global_name_and_no_default_that_would_be_refused()
    {
        var kp = new Kp();
        Assert.Contains("--keystore", Ok(await kp.RunAsync("account", "add", "--help")).Out.Split("Global options")[0]);
        Assert.DoesNotContain("[default: 0]", Ok(await kp.RunAsync("chain", "down", "--help")).Out);
        Assert.DoesNotContain("[default: -1]", Ok(await kp.RunAsync("account", "add", "--help")).Out);
    }

    [Theory]
    [InlineData(new[] { "verfy", "x.json" }, "did you mean kp verify?")]
    [InlineData(new[] { "cert", "isue" }, "did you mean kp cert issue?")]
    [InlineData(new[] { "verify" }, "kp verify needs <document>")]
    [InlineData(new[] { "cert" }, "kp cert needs a command: issue")]
    public async Task Unknown_commands_and_missing_arguments_say_what_kp_expects(string[] args, string expected)
    {
        var r = await new Kp().RunAsync(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Err);
        Assert.DoesNotContain("Required command was not provided", r.Err);
    }

    [Theory]
    [InlineData("javascript:alert(1)", "is not a URL of a JSON-RPC endpoint")]
    [InlineData("mailto:x@y", "is not a URL of a JSON-RPC endpoint")]
    public async Task An_rpc_value_without_a_scheme_that_is_not_host_and_port_is_named_as_such(string value, string expected)
    {
        var r = await new Kp().RunAsync("chain", "status", "--rpc", value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Err);
        Assert.DoesNotContain("has port", r.Err);
    }

    [Fact]
    public void Every_option_has_one_visible_spelling_and_no_command_spells_a_meaning_twice()
    {
        foreach (var (path, command) in Walk(Tree(), "kp"))
        {
            var visible = command.Options.Where(o => !o.Hidden && o is not HelpOption).ToList();
            Assert.All(visible, o => Assert.Empty(o.Aliases));
            var names = visible.Select(o => o.Name).ToList();
            Assert.False(names.Contains("--anvil"), path);
            Assert.False(names.Contains("--output"), path);
            Assert.False(names.Contains("--batch"), path);
        }
        var bench = Walk(Tree(), "kp").Single(c => c.Path == "kp bench anchor").Command;
        Assert.Contains(bench.Options, o => o.Name == "--node" && !o.Hidden);
        Assert.Contains(bench.Options, o => o.Name == "--max-batch" && !o.Hidden);
        Assert.Contains(bench.Options, o => o.Name == "--anvil" && o.Hidden);
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("research simulate")]
    [InlineData("bench anchor")]
    public async Task Node_is_one_option_in_any_case_with_a_suggestion(string command)
    {
        var args = command.Split(' ');
        Usage(await _kp.RunAsync([.. args, "--node", "anvl"]), "--node", "'anvl' is not one of hardhat, anvil; did you mean anvil?");
        Usage(await _kp.RunAsync([.. args, "--node", "ganache"]), "--node", "is not one of hardhat, anvil");
        Usage(await _kp.RunAsync([.. args, "--node", "besulike"]), "--node", "is not one of hardhat, anvil"); // the Besu-like node is asked for with --like besu
    }

    [Fact]
    public async Task Like_names_a_network_and_excludes_node()
    {
        Usage(await _kp.RunAsync("bench", "anchor", "--like", "bessu"), "--like", "'bessu' is not one of besu; did you mean besu?");
        Usage(await _kp.RunAsync("bench", "anchor", "--like", "besu", "--node", "anvil"), "--node", "not with --like besu");
    }

    [Fact]
    public async Task Node_accepts_any_case()
    {
        // a bad --records stops bench before any node starts: only the --node value is parsed, and accepted
        foreach (var node in new[] { "anvil", "ANVIL", "Hardhat", "hardhat" })
        {
            var r = await _kp.RunAsync("bench", "anchor", "--node", node, "--records", "0");
            Assert.True(r.ExitCode == 2, r.ToString());
            Assert.StartsWith("error: --records: ", r.Err);
            Assert.DoesNotContain("--node", r.Err);
        }
    }

    [Theory]
    [InlineData("--level", "suspicous", "did you mean Suspicious?")]
    [InlineData("--level", "fraud", "is not one of None, Suspicious, Fraudulent")]
    [InlineData("--category", "smugling", "did you mean Smuggling?")]
    [InlineData("--fees", "legasy", "did you mean Legacy?")]
    public async Task Choices_suggest_the_nearest(string option, string value, string words)
    {
        var hash = "0x" + new string('1', 64);
        Usage(await _kp.RunAsync("flag", "parcel", hash, "--reason", "x", option, value), option, $"'{value}' is not one of");
        Usage(await _kp.RunAsync("flag", "parcel", hash, "--reason", "x", option, value), option, words);
    }

    [Fact]
    public async Task Operation_is_a_choice_in_any_case()
    {
        Usage(await _kp.RunAsync("new", "transformation", "--participant", "BW", "--operation", "splt", "--inputs", "a.json", "--outputs", "b.json"),
            "--operation", "'splt' is not one of split, merge, sort; did you mean split?");
        // accepted in upper case: the next problem is the missing input file, not the operation
        var r = await _kp.RunAsync("new", "transformation", "--participant", "BW", "--operation", "SPLIT", "--inputs", "/nonexistent/a.json", "--outputs", "/nonexistent/b.json");
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.DoesNotContain("--operation", r.Err);
    }

    [Fact]
    public async Task Participant_codes_are_case_insensitive_and_printed_upper_case()
    {
        var r = await _kp.RunAsync("new", "parcel", "--participant", "bw", "--origin", "za", "--carats", "1.5", "--mine", "Jwaneng");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("\"participant\": \"BW\"", r.Out);
        Assert.Contains("\"ZA\"", r.Out);
        Assert.DoesNotContain("\"bw\"", r.Out);
    }

    [Theory]
    [InlineData("--importer", "UAE", "did you mean AE (United Arab Emirates)?")]
    [InlineData("--importer", "India", "did you mean IN (India)?")]
    [InlineData("--importer", "UK", "did you mean GB (United Kingdom)?")]
    [InlineData("--exporter", "Botswana", "did you mean BW (Botswana)?")]
    [InlineData("--exporter", "botswanna", "did you mean BW (Botswana)?")]
    [InlineData("--exporter", "BWA", "did you mean BW (Botswana)?")]
    [InlineData("--exporter", "XQ", "see kp participant list")]
    public async Task A_participant_that_is_not_one_is_refused_with_the_one_meant(string option, string value, string words)
    {
        var args = new List<string> { "new", "certificate", "--number", "BW-1", "--exporter", "BW", "--importer", "AE", "--parcels", "p.json",
            "--authority-name", "a", "--exporter-name", "b", "--importer-name", "c" };
        args[args.IndexOf(option) + 1] = value;
        var dir = Directory.CreateTempSubdirectory("kp-flags-").FullName;
        try
        {
            var parcel = Path.Combine(dir, "p.json");
            Assert.Equal(0, (await _kp.RunAsync("new", "parcel", "--participant", "BW", "--carats", "2", "--mine", "Orapa", "--out", parcel)).ExitCode);
            args[args.IndexOf("p.json")] = parcel;
            var r = await _kp.RunAsync([.. args]);
            Usage(r, option, $"'{value}' is not a KP participant code");
            Assert.Contains(words, r.Err);
            var json = await _kp.RunAsync([.. args, "--json"]);
            Assert.Contains($"\"field\": \"{option}\"", json.Err);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("new", "parcel", "--participant", "UAE", "--carats", "1")]
    [InlineData("new", "parcel", "--participant", "BW", "--origin", "Indai", "--carats", "1")]
    [InlineData("cert", "status", "BW-1", "--exporter", "UAE", "--rpc", "http://127.0.0.1:1")]
    [InlineData("flag", "anchor", "0x1111111111111111111111111111111111111111111111111111111111111111", "--reason", "x", "--participant", "UAE")]
    [InlineData("participant", "add", "UAE")]
    public async Task Every_participant_option_suggests(params string[] args)
    {
        var r = await _kp.RunAsync(args);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("is not a KP participant code; did you mean", r.Err);
    }

    [Fact]
    public void Governance_may_name_a_participant_kp_does_not_list_yet_but_not_a_known_misspelling()
    {
        Assert.Equal("XK", ParticipantInput.Parse("xk", "code", allowUnlisted: true).Value);
        Assert.Equal("BW", ParticipantInput.Parse(" bw ", "code").Value);
        var uk = Assert.Throws<CliUsageException>(() => ParticipantInput.Parse("uk", "code", allowUnlisted: true));
        Assert.Equal("code: 'uk' is not a KP participant code; did you mean GB (United Kingdom)?", uk.Message);
        Assert.Equal("code", uk.Field);
        Assert.Throws<CliUsageException>(() => ParticipantInput.Parse("xk", "--importer"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:99999", "has port 99999: a port is a whole number from 1 to 65535")]
    [InlineData("127.0.0.1:0", "has port 0: a port is a whole number from 1 to 65535")]
    [InlineData("ftp://x", "the scheme must be http, https, ws or wss, not 'ftp'")]
    [InlineData("http//x", "is not a URL of a JSON-RPC endpoint")]
    [InlineData("", "an empty value is not a JSON-RPC endpoint")]
    [InlineData("localhost", "is not a URL of a JSON-RPC endpoint")]
    public async Task A_bad_rpc_address_is_a_sentence_naming_rpc(string rpc, string words)
    {
        Usage(await _kp.RunAsync("participant", "list", "--rpc", rpc), "--rpc", words);
    }

    [Theory]
    [InlineData("127.0.0.1:1", "http://127.0.0.1:1")]
    [InlineData("localhost:1", "http://localhost:1")]
    [InlineData("http://127.0.0.1:1", "http://127.0.0.1:1")]
    [InlineData("https://rpc.example.org/v1/key", "https://rpc.example.org/v1/key")]
    [InlineData("http://[::1]:8545", "http://[::1]:8545")]
    public void Host_and_port_mean_http(string typed, string meant) => Assert.Equal(meant, RpcEndpoint.Parse(typed));

    [Fact]
    public async Task Rpc_without_a_scheme_reaches_the_chain_over_http()
    {
        // nothing listens on port 1: the failure is the chain's (exit 3), so the address was taken as http://127.0.0.1:1
        var r = await _kp.RunAsync("participant", "list", "--rpc", "127.0.0.1:1", "--registry", "0x5FbDB2315678afecb367f032d93F642f64180aa3");
        Assert.True(r.ExitCode == 3, r.ToString());
        Assert.DoesNotContain("--rpc:", r.Err);
    }

    [Theory]
    [InlineData("70000", "70000 is not a port: from 0 (any free port) to 65535")]
    [InlineData("-1", "'-1' is not a port: a whole number from 0 to 65535")]
    [InlineData("http", "'http' is not a port")]
    public async Task A_bad_port_is_a_sentence_naming_port(string port, string words)
    {
        Usage(await _kp.RunAsync("chain", "up", "--port", port), "--port", words);
    }

    [Fact]
    public async Task An_option_without_its_value_is_named()
    {
        Usage(await _kp.RunAsync("participant", "list", "--rpc"), "--rpc", "a value is required after --rpc");
    }

    [Fact]
    public async Task Bench_anchor_rate_0_is_its_default_all_at_once_and_below_is_refused()
    {
        // the help shows [default: 0]: typed, it means the same (it was refused as out of 1-1000000)
        Assert.Empty(Tree().Parse(["bench", "anchor", "--rate", "0"]).Errors);
        Usage(await _kp.RunAsync("bench", "anchor", "--rate", "-1"), "--rate", "-1 is out of range: from 0 to 1,000,000");
    }
}
