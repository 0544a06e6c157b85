using Traceability.Lab.DevChain;

namespace Traceability.Lab.Parties;

/// <summary>One party at the end of the run, as the chain shows it.</summary>
/// <param name="Name">Its short name.</param>
/// <param name="Role">What it anchors.</param>
/// <param name="Participant">Its participant's code.</param>
/// <param name="Account">Its address.</param>
/// <param name="Records">Documents it was given to anchor.</param>
/// <param name="Anchored">Of those, the ones the chain shows registered once, by its account.</param>
/// <param name="Transactions">Transactions its account sent during the run.</param>
/// <param name="Reverted">Of those, reverted ones.</param>
/// <param name="FirstNonce">Its account's nonce when its service started.</param>
/// <param name="NextNonce">Its account's nonce at the end.</param>
/// <param name="NoncesGapless">Whether its transactions carry exactly the nonces FirstNonce to NextNonce - 1, each once.</param>
/// <param name="Restarts">How often its service was started again after a kill.</param>
public sealed record PartyOutcome(string Name, PartyRole Role, string Participant, string Account, int Records, int Anchored, int Transactions, int Reverted,
    ulong FirstNonce, ulong NextNonce, bool NoncesGapless, int Restarts);

/// <summary>The service killed mid-run, and what the others did meanwhile.</summary>
/// <param name="Party">Whose service.</param>
/// <param name="KilledAtSeconds">When it was killed (SIGKILL), seconds from the start of the feeding.</param>
/// <param name="RestartedAtSeconds">When it was started again.</param>
/// <param name="ConfirmedAtKill">Its records confirmed when it was killed.</param>
/// <param name="Records">Its records in all.</param>
/// <param name="OthersTransactionsWhileDown">Transactions of the other parties mined between the kill and the restart.</param>
public sealed record PartyKill(string Party, double KilledAtSeconds, double RestartedAtSeconds, long ConfirmedAtKill, int Records, int OthersTransactionsWhileDown);

/// <summary>An invariant of the run, checked from the chain and the services' stores.</summary>
/// <param name="Name">Its identifier (camelCase).</param>
/// <param name="Ok">Whether it holds.</param>
/// <param name="Message">What was found, for people.</param>
public sealed record PartyCheck(string Name, bool Ok, string Message);

/// <summary>A multi-party run (<see cref="PartyRun"/>): every party, the kill, the blocks, the invariants.</summary>
/// <param name="Node">The node's kind.</param>
/// <param name="ChainId">Its chain id.</param>
/// <param name="Registry">The registry's address.</param>
/// <param name="Folder">Where the services' folders are.</param>
/// <param name="Parties">Each party.</param>
/// <param name="Kill">The kill and restart.</param>
/// <param name="Blocks">Blocks holding a transaction of the run.</param>
/// <param name="SharedBlocks">Of those, blocks holding transactions of more than one party.</param>
/// <param name="MostPartiesInABlock">Most parties with a transaction in one block.</param>
/// <param name="Seconds">Wall time from the first document to the last record confirmed.</param>
/// <param name="Checks">The invariants.</param>
public sealed record PartyRunResult(LocalNodeKind Node, ulong ChainId, string Registry, string Folder, IReadOnlyList<PartyOutcome> Parties, PartyKill Kill,
    int Blocks, int SharedBlocks, int MostPartiesInABlock, double Seconds, IReadOnlyList<PartyCheck> Checks)
{
    /// <summary>Whether every invariant holds.</summary>
    public bool Ok => Checks.All(c => c.Ok);
}
