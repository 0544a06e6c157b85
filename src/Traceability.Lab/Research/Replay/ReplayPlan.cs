using Traceability.Lab.Capacity;
using Traceability.Lab.DevChain;

namespace Traceability.Lab.Research.Replay;

/// <summary>What a replay is asked to do.</summary>
/// <param name="Year">Year of the public KP figures (samples/kp-statistics).</param>
/// <param name="Scale">Share of the real number of records (1: about 600,000 origin parcels and 57,000 certificates); carats and values keep their totals at any scale.</param>
/// <param name="AttacksShare">Share of the certificates that are attacks (spread over every <see cref="AttackClass"/>, at least one each).</param>
/// <param name="Node">The local node to replay on.</param>
/// <param name="OutputFolder">Where the documents, the state file and the figures go.</param>
/// <param name="Seed">Random seed: the same seed gives the same documents (which lets a run resume).</param>
/// <param name="VerifyConcurrency">Verifications in flight at once.</param>
/// <param name="RpcUrl">A running dev node to replay on (kp chain up; it outlives a stopped run, which then resumes on its chain); null: start <paramref name="Node"/>.</param>
public sealed record ReplayPlan(int Year, decimal Scale, decimal AttacksShare, LocalNodeKind Node, string OutputFolder, int Seed = 2023,
    int VerifyConcurrency = 32, string? RpcUrl = null)
{
    /// <summary>Origin parcels at scale 1 (the "about 600,000").</summary>
    public const int ParcelsAtFullScale = 602_000;

    /// <summary>Producer export certificates at scale 1 (re-exports add about 80 % more: about 57,000 in all).</summary>
    public const int ExportCertificatesAtFullScale = 31_700;
}

/// <summary>Gas of one kind of operation over the replay.</summary>
/// <param name="Operation">What was done, by whom.</param>
/// <param name="Transactions">Transactions sent.</param>
/// <param name="Records">Records they carried.</param>
/// <param name="Gas">Gas they used.</param>
/// <param name="GasPerRecord">Gas per record.</param>
public sealed record ReplayGas(string Operation, long Transactions, long Records, long Gas, long GasPerRecord);

/// <summary>One row of the confusion table.</summary>
/// <param name="Class">The attack class (camelCase, as <see cref="AttackClass"/>), or "genuine".</param>
/// <param name="Expected">The verdict it must get (camelCase, as kp verify --json names it).</param>
/// <param name="Total">Documents of the class verified.</param>
/// <param name="Detected">Attacks that got the expected verdict (for genuine documents: those Verified).</param>
/// <param name="Verdicts">Every verdict seen, by name, with its count.</param>
/// <param name="RefusedByRegistry">Attacks the registry refused when they were sent (never anchored).</param>
public sealed record ConfusionRow(string Class, string Expected, int Total, int Detected, IReadOnlyDictionary<string, int> Verdicts, int RefusedByRegistry);

/// <summary>A producer's figures: public, and as the replay's origin parcels add them up.</summary>
/// <param name="Code">The participant.</param>
/// <param name="PublicCarats">Its public production, carats.</param>
/// <param name="PublicValueUsd">Its public production value, US$.</param>
/// <param name="Parcels">Origin parcels registered.</param>
/// <param name="Carats">Their carats.</param>
/// <param name="ValueUsd">Their value, US$.</param>
public sealed record ReplayProducer(string Code, decimal PublicCarats, decimal PublicValueUsd, int Parcels, decimal Carats, decimal ValueUsd);

/// <summary>The figures of a replay.</summary>
/// <param name="Year">Year of the KP figures.</param>
/// <param name="Scale">Scale of the record counts.</param>
/// <param name="Node">The node it ran on.</param>
/// <param name="Resumed">Whether this run resumed an earlier one on the chain that holds it (records already on chain were not sent
/// again: the transactions, gas and stages are then those of this run alone); false when the chain was gone and the run anchored
/// again from the start.</param>
/// <param name="Producers">Production as public and as replayed.</param>
/// <param name="OriginParcels">Origin parcels.</param>
/// <param name="Transformations">Transformations at the hubs (sorting and splitting into mixed-origin lots).</param>
/// <param name="OutputParcels">Parcels they made.</param>
/// <param name="Certificates">Certificates anchored (exports and re-exports, the attacks that the registry accepts included).</param>
/// <param name="ReExports">Of those, re-exports of mixed origin.</param>
/// <param name="Confirmations">Import confirmations.</param>
/// <param name="RecordsAnchored">Records anchored (parcels, transformations, certificates, confirmations, voids, flags).</param>
/// <param name="Transactions">Transactions sent by this run.</param>
/// <param name="AnchorSeconds">Wall time of the anchoring (preparation included).</param>
/// <param name="VerifySeconds">Wall time of the verification of every certificate.</param>
/// <param name="Seconds">Wall time of the whole run (node start included).</param>
/// <param name="CpuSeconds">Process CPU time of kp over the whole run.</param>
/// <param name="PeakMemoryMb">kp's peak working set, MB.</param>
/// <param name="Gas">Gas by operation.</param>
/// <param name="TotalGas">Gas of this run (set-up excluded): the year's at scale 1, about the year's times the scale otherwise.</param>
/// <param name="BesuBlockSeconds">Seconds of full 60 M gas blocks this run's gas fills (at one block every 2 s).</param>
/// <param name="BesuShare">Share of a year of such blocks.</param>
/// <param name="Confusion">The confusion table: one row per attack class, then the genuine documents.</param>
/// <param name="AttacksDetected">Whether every attack got its expected verdict.</param>
/// <param name="FalseAlarms">Genuine documents not Verified.</param>
/// <param name="VerifyMeanMs">Mean time of one verification, ms.</param>
/// <param name="OutputFolder">Where the documents are.</param>
public sealed record ReplayResult(int Year, decimal Scale, LocalNodeKind Node, bool Resumed, IReadOnlyList<ReplayProducer> Producers, int OriginParcels,
    int Transformations, int OutputParcels, int Certificates, int ReExports, int Confirmations, long RecordsAnchored, long Transactions,
    double AnchorSeconds, double VerifySeconds, double Seconds, double CpuSeconds, long PeakMemoryMb, IReadOnlyList<ReplayGas> Gas, long TotalGas,
    double BesuBlockSeconds, double BesuShare, IReadOnlyList<ConfusionRow> Confusion, bool AttacksDetected, int FalseAlarms, double VerifyMeanMs,
    string OutputFolder)
{
    /// <summary>Each stage's blocks and latency (a record type's: parcels, certificates, confirmations, transformations), in the order they ran.</summary>
    public IReadOnlyList<ReplayStage> Stages { get; init; } = [];

    /// <summary>The blocks the whole anchoring took, first to last.</summary>
    public BlockFigures Blocks { get; init; } = BlockFigures.None;

    /// <summary>From a batch handed to its sender to its receipt, over every record anchored.</summary>
    public Latency Latency { get; init; } = new(0, 0, 0);

    /// <summary>Verifications in flight at once (--verify-concurrency): <see cref="VerifyMeanMs"/> is one verification's time among as many.</summary>
    public int VerifyConcurrency { get; init; } = 1;

    /// <summary>On the Besu-like node: the share of the network the year (this run's records over its scale) needs, measured and projected (null elsewhere).</summary>
    public NetworkShare? Network { get; init; }
}

/// <summary>A stage of the replay as the chain took it.</summary>
/// <param name="Name">The stage (its record type).</param>
/// <param name="Records">Records it anchored.</param>
/// <param name="Transactions">Transactions they went in.</param>
/// <param name="Blocks">The blocks they took.</param>
/// <param name="Latency">From a batch handed to its sender to its receipt.</param>
public sealed record ReplayStage(string Name, long Records, long Transactions, BlockFigures Blocks, Latency Latency);
