using System.CommandLine;
using Traceability.Lab.DevChain;

namespace Traceability.Cli.Infrastructure;

/// <summary>
/// Which local node a command that starts one (kp demo, kp bench, kp research) runs: <c>--node hardhat|anvil</c>
/// (automine: a block per transaction) or <c>--like besu</c> (Anvil timed and priced like the KP's Besu QBFT network,
/// <see cref="LocalNodeKind.BesuLike"/>). One place, so every command spells and checks it alike.
/// </summary>
internal sealed class LocalNodeChoice
{
    private static readonly string[] Nodes = ["hardhat", "anvil"];
    private static readonly string[] Networks = ["besu"];

    private LocalNodeChoice(Option<string> node, Option<string?> like) => (Node, Like) = (node, like);

    /// <summary>--node hardhat|anvil.</summary>
    public Option<string> Node { get; }

    /// <summary>--like besu.</summary>
    public Option<string?> Like { get; }

    /// <summary>Both options, to add to a command.</summary>
    public IEnumerable<Option> Options => [Node, Like];

    /// <summary>The options, described for a command (<paramref name="node"/>: what --node says when the command mines otherwise than a block per transaction).</summary>
    public static LocalNodeChoice Create(string node = "the local EVM node, mining a block per transaction: hardhat or anvil")
    {
        var nodeOption = StrictOptions.Word("--node", node, Nodes);
        var like = StrictOptions.OptionalWord("--like", "run Anvil timed and priced like a production network instead: besu (2 s blocks, 60 M gas, zero fees, the chain-dev/besu genesis)", Networks);
        return new LocalNodeChoice(nodeOption, like);
    }

    /// <summary>The node the command line asks for; --like with an explicit --node is refused (they name different nodes).</summary>
    public LocalNodeKind Resolve(ParseResult parse)
    {
        if (parse.GetResult(Like) is { Implicit: false })
        {
            if (parse.GetResult(Node) is { Implicit: false }) throw new CliUsageException("--node: not with --like besu (which runs its own Anvil node)", "--node");
            return LocalNodeKind.BesuLike;
        }
        return parse.GetValue(Node) == "anvil" ? LocalNodeKind.Anvil : LocalNodeKind.Hardhat;
    }
}
