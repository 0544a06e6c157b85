using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Traceability.Chain.Accounts;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Core.Hashing;
using Traceability.Lab.Capacity;
using Traceability.Lab.DevChain;
using Traceability.Lab.Pipeline;
using Traceability.Verifier;

namespace Traceability.Lab.Research.Replay;

/// <summary>
/// kp research replay: a whole KP trade year at its real size (or a scaled share of its records, with the same
/// totals) on a fresh local node: every producer's output as origin parcels, export certificates signed by their
/// authorities and relayed in batches, import confirmations, sorting at the hubs into mixed-origin lots and their
/// re-exports, with a share of attacks of every class mixed in; then every certificate verified as its importer
/// would (with the documents that travel with it) and a confusion table. Writes go straight to the node through
/// <see cref="OrderedSender"/> (batched registerParcels and multicall, explicit gas and nonces, several accounts in
/// flight). Resumable: see <see cref="ReplayState"/>.
/// </summary>
/// <param name="repositoryRoot">The checkout whose node_modules holds the node.</param>
/// <param name="statisticsCsv">samples/kp-statistics/kp-statistics.csv.</param>
/// <param name="progress">Where the stage lines go.</param>
public sealed class YearReplay(string repositoryRoot, string statisticsCsv, TextWriter progress)
{
    private const ulong Day = 86_400;

    /// <summary>
    /// Blocks whose state an Anvil node of the replay keeps besides the head's: none. Anvil keeps a whole copy of the
    /// state for each, about 140 MB each at a quarter of the year (16 of them took Anvil from 1.3 to 3.5 GB there, past
    /// 18 GB at 60 % of the whole year; 4 took it to 17.7 GB at its end; none, 1.9 GB). None is needed: the verifier
    /// reads older authority changes from their events, and the chain stands still while certificates are verified (the
    /// node mines each transaction again, and verification sends none).
    /// </summary>
    private const int KeptStates = 0;

    /// <summary>
    /// Blocks whose state the Besu-like node of the replay keeps: it mines a block every 2 s throughout, also while
    /// certificates are verified, and a verification reads the block it pinned for a few milliseconds to seconds
    /// afterwards (with the head's state only, one that straddles a new block is refused by the node). Its runs are
    /// small (60 M gas a block), so 16 copies of its state cost little.
    /// </summary>
    private const int KeptStatesWhileMining = 16;

    /// <summary>Transactions an account has sent and not yet seen mined, at most: enough to fill a 1 G gas block of an interval-mined Anvil from a single account.</summary>
    private const int InFlightPerAccount = 96;
    private readonly ConcurrentDictionary<string, long[]> _gas = new();
    private readonly ConcurrentDictionary<int, OrderedSender> _senders = new();
    private readonly ConcurrentDictionary<int, ChainAccount> _accounts = new();
    private long _transactions;
    private readonly ConcurrentBag<(long Block, long Records, double Ms)> _landed = [], _allLanded = []; // a stage's transactions, and the run's

    /// <summary>Told as records are anchored, then as certificates are verified (null: nobody listens).</summary>
    public IProgress<WorkProgress>? Work { get; init; }

    /// <summary>Plays <paramref name="plan"/> (or resumes it from its output folder) and returns the figures.</summary>
    /// <exception cref="SimulationPlanException">The plan cannot be played with these figures.</exception>
    public async Task<ReplayResult> RunAsync(ReplayPlan plan, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        var production = KpStatistics.ProductionOf(statisticsCsv, plan.Year);
        Directory.CreateDirectory(plan.OutputFolder);
        var previous = ReplayState.Read(plan.OutputFolder);
        var resumed = previous is not null && previous.SamePlan(plan) && !previous.Finished;
        var state = resumed ? previous! : new ReplayState
        {
            Year = plan.Year,
            Scale = plan.Scale,
            AttacksShare = plan.AttacksShare,
            Seed = plan.Seed,
            Node = plan.Node.ToString(),
        };
        if (resumed) progress.WriteLine($"resuming the replay in {plan.OutputFolder} ({state.RecordsWritten:N0} documents written before; re-checking the chain)");
        else if (previous is { Finished: false })
        {
            // a folder of another plan is not resumed: say so, rather than start a run of other options silently over it
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{plan.OutputFolder} holds an unfinished replay of other options (year {previous.Year}, scale {previous.Scale}, attacks share {previous.AttacksShare}, seed {previous.Seed}, {previous.Node}): starting this one over it; to resume that one, give its options again"));
        }

        // a node kp starts lives as long as this run; one given by --rpc (kp chain up) outlives it, so a resumed run continues its chain
        // Anvil keeps the state of recent blocks only (a copy of the whole state for every block of a year does not fit in memory)
        // and mines a block a second with every transaction in flight (it copies the state once a block)
        await using var node = plan.RpcUrl is null ? await LocalNode.StartAsync(repositoryRoot, plan.Node, keepStates: plan.Node == LocalNodeKind.BesuLike ? KeptStatesWhileMining : KeptStates, bulk: true) : null;
        var url = plan.RpcUrl ?? node!.Url;
        using var rpc = new ChainRpc(url, TimeSpan.FromMinutes(5));
        var chainId = await rpc.ChainIdAsync();
        var cast = TradeYear.Cast(production);
        foreach (var i in Enumerable.Range(0, cast.Impostor + 1)) _accounts[i] = DevNetwork.Account(i);

        // the registry: the one of the state file if the chain still has it, else a fresh deployment and set-up
        var fresh = state.Registry is null || await rpc.GetCodeAsync(state.Registry) is "0x" or "";
        if (fresh)
        {
            if (resumed) progress.WriteLine("the chain does not have the registry of the earlier run (a node kp starts keeps no chain after it stops; give --rpc to replay on one that does): anchoring again from the start");
            await FundAsync(rpc, cast.Impostor + 1);
            using var net = await DevNetwork.DeployAsync(url);
            state.Registry = net.Deployment.Address;
            state.DeploymentBlock = net.Deployment.BlockNumber;
            state.ChainNow = state.ChainNow == 0 ? await net.Reader.BlockTimestampAsync() : state.ChainNow;
            state.BatchesLanded.Clear();
            net.Deployment.Write(Path.Combine(plan.OutputFolder, "deployment.json"));
            await SetUpAsync(net, cast.Participants);
            state.SetUp = true;
            state.Anchored = false;
            state.Write(plan.OutputFolder);
        }
        else if (!state.SetUp)
        {
            throw new SimulationPlanException($"--out: the earlier run in {plan.OutputFolder} stopped while setting up the registry; remove the folder and start again");
        }
        using var blocks = new BlockWatch(rpc);
        var reader = new RegistryReader(rpc, state.Registry!);
        var domain = new Eip712Domain(chainId, state.Registry!);
        // fees: the node's suggested price as the tip, and room above it for a base fee that rises 12.5 % a full block (1.125^33 = 48)
        var tip = ChainRpc.Quantity(await rpc.RequestAsync("eth_gasPrice"));
        var fees = (Max: 64 * tip, Tip: tip);

        progress.WriteLine($"building the year {plan.Year} at scale {plan.Scale} (seed {plan.Seed}) after {clock.Elapsed.TotalSeconds:0.0} s…");
        var year = TradeYear.Build(plan, production, domain, state.ChainNow, i => _accounts.GetOrAdd(i, DevNetwork.Account));
        var certificates = year.Certificates.Count();
        progress.WriteLine($"{year.OriginParcels.Sum(p => p.Count):N0} origin parcels, {certificates:N0} certificates ({year.ReExports.Count:N0} re-exports of " +
            $"{year.Lots.Count:N0} hub lots), {year.Attacks.Count:N0} attack documents");
        ReturnMemory();
        progress.WriteLine($"built after {clock.Elapsed.TotalSeconds:0.0} s ({Usage()})");
        var writing = Task.Run(() => ReplayFolder.Write(year, plan.OutputFolder), ct);

        // each stage's call data is built when the stage starts and dropped after it (a whole year's at once would need about 1 GB);
        // a node kp started mines a block a second with all that is in flight while the stages write (set-up above went a block a transaction)
        if (node is not null) await node.MineEverySecondAsync();
        var stages = Stages(year);
        var total = stages.Sum(s => s.Records);
        var operations = new List<string>();
        var stageFigures = new List<ReplayStage>();
        long done = 0, before = 0;
        foreach (var stage in stages)
        {
            ct.ThrowIfCancellationRequested();
            var batches = stage.Build();
            operations.AddRange([.. batches.Select(b => b.Operation).Distinct().Where(o => !operations.Contains(o))]);
            IReadOnlyList<ChainBatch> pending = fresh ? batches : [.. await NotLandedAsync(reader, batches, ct)];
            var already = batches.Count - pending.Count;
            var landedBefore = batches.Sum(b => (long)b.Records) - pending.Sum(b => (long)b.Records);
            done += landedBefore;
            before += landedBefore;
            if (already > 0) progress.WriteLine($"{stage.Name}: {already} of {batches.Count} transactions already on chain");
            _landed.Clear();
            await RunStageAsync(rpc, blocks, reader.Address, chainId, fees, pending, records =>
            {
                Work?.Report(new WorkProgress("records anchored", Interlocked.Add(ref done, records), total, before));
            }, ct);
            stageFigures.Add(await StageFiguresAsync(rpc, stage.Name, [.. _landed]));
            progress.WriteLine($"{stage.Name}: {pending.Count:N0} transactions, done after {clock.Elapsed.TotalSeconds:0.0} s ({Usage()})");
            state.BatchesLanded[stage.Name] = batches.Count;
            foreach (var (i, s) in _senders) state.Nonces[s.Account.Address] = s.NextNonce?.ToString() ?? "";
            if (writing.IsCompletedSuccessfully) state.RecordsWritten = writing.Result;
            state.Write(plan.OutputFolder);
        }
        state.Anchored = true;
        var anchorSeconds = clock.Elapsed.TotalSeconds;
        if (node is not null) await node.MineEachTransactionAsync(); // no empty blocks while verifying: the block the index read stays the latest
        foreach (var sender in _senders.Values) sender.Dispose();
        _senders.Clear();
        ReturnMemory();
        state.RecordsWritten = await writing;
        state.Write(plan.OutputFolder);
        progress.WriteLine($"anchored in {anchorSeconds:0.0} s; {state.RecordsWritten:N0} documents in {plan.OutputFolder}");

        // expired attacks: let the chain's clock pass their expiry
        var expiries = year.Certificates.Where(c => c.Attack == AttackClass.Expired).Select(c => c.Document.ExpiresAt).ToList();
        if (expiries.Count > 0 && await reader.BlockTimestampAsync() <= expiries.Max())
        {
            await rpc.RequestAsync("evm_increaseTime", (long)(expiries.Max() - await reader.BlockTimestampAsync() + Day));
            await rpc.RequestAsync("evm_mine");
        }
        await TryReusedParcelsAsync(rpc, reader, year);

        var verifyClock = Stopwatch.StartNew();
        var (confusion, meanMs) = await VerifyAllAsync(reader, domain, state.DeploymentBlock, year, plan.VerifyConcurrency, ct);
        var verifySeconds = verifyClock.Elapsed.TotalSeconds;
        state.Finished = true;
        state.Write(plan.OutputFolder);

        var gas = _gas.Select(g => new ReplayGas(g.Key, g.Value[0], g.Value[1], g.Value[2], g.Value[1] == 0 ? 0 : g.Value[2] / g.Value[1]))
            .OrderBy(g => operations.IndexOf(g.Operation)).ToList();
        var totalGas = gas.Sum(g => g.Gas);
        var overall = stageFigures.Count == 0 ? new ReplayStage("all", 0, 0, BlockFigures.None, Latency.Of([]))
            : new ReplayStage("all", stageFigures.Sum(x => x.Records), stageFigures.Sum(x => x.Transactions), await BlockFigures.MeasureAsync(rpc, _allLanded.Select(l => (l.Block, 1, l.Records))), Latency.Of(_allLanded.Select(l => (l.Ms, l.Records))));
        var producers = year.Participants.Where(p => !p.IsHub).Select((p, i) => new ReplayProducer(p.Code.Value, p.Production!.Carats, p.Production.ValueUsd,
            year.OriginParcels[i].Count, year.OriginParcels[i].Sum(x => (decimal)x.Record.Carats) / 100, year.OriginParcels[i].Sum(x => (decimal)x.Record.ValueUsdCents) / 100)).ToList();
        var attacksDetected = confusion.Where(r => r.Class != "genuine").All(r => r.Detected == r.Total);
        var genuine = confusion.Single(r => r.Class == "genuine");
        using var self = Process.GetCurrentProcess();
        // resumed only when the chain kept the earlier run: anchored again from the start, every figure is the whole run's
        return new ReplayResult(plan.Year, plan.Scale, plan.Node, resumed && !fresh, producers, year.OriginParcels.Sum(p => p.Count), year.Lots.Count,
            year.Lots.Sum(l => l.Outputs.Count), certificates, year.ReExports.Count, year.Certificates.Count(c => c.Confirmation is not null),
            total, _transactions, Math.Round(anchorSeconds, 1), Math.Round(verifySeconds, 1), Math.Round(clock.Elapsed.TotalSeconds, 1),
            Math.Round((self.TotalProcessorTime - cpuAtStart).TotalSeconds, 1), self.PeakWorkingSet64 / (1024 * 1024), gas, totalGas,
            Math.Round(BesuCapacity.FullBlockSeconds(totalGas), 1), BesuCapacity.ProjectedShare(totalGas), confusion, attacksDetected, genuine.Total - genuine.Detected, meanMs,
            Path.GetFullPath(plan.OutputFolder))
        {
            Stages = stageFigures,
            VerifyConcurrency = plan.VerifyConcurrency,
            Blocks = overall.Blocks,
            Latency = overall.Latency,
            Network = plan.Node == LocalNodeKind.BesuLike && overall.Records > 0
                ? NetworkShare.Of(overall.Blocks, overall.Records, totalGas, overall.Records / (double)plan.Scale)
                : null,
        };
    }

    /// <summary>
    /// The blocks a stage's transactions took (read back from the node) and the latency of its records, from the
    /// moment a batch was handed to its sender to its receipt.
    /// </summary>
    private static async Task<ReplayStage> StageFiguresAsync(ChainRpc rpc, string name, IReadOnlyList<(long Block, long Records, double Ms)> landed) =>
        new(name, landed.Sum(l => l.Records), landed.Count, await BlockFigures.MeasureAsync(rpc, landed.Select(l => (l.Block, 1, l.Records))),
            Latency.Of(landed.Select(l => (l.Ms, l.Records))));

    /// <summary>
    /// A full compacting collection that gives the free memory back to the system, between phases: the garbage of a
    /// phase (the year's building, each stage's call data, the index's reads) would otherwise stay in kp's footprint
    /// until the collector next needs the room, and a year's replay is to stay under 1 GB.
    /// </summary>
    private static void ReturnMemory() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>kp's CPU so far and its memory now, for the progress lines.</summary>
    private static string Usage()
    {
        using var self = Process.GetCurrentProcess();
        return string.Create(CultureInfo.InvariantCulture, $"kp CPU {self.TotalProcessorTime.TotalSeconds:0.0} s, {self.WorkingSet64 / (1024 * 1024):N0} MB");
    }

    /// <summary>A stage of the replay: its transactions (built on demand) and how many records they carry.</summary>
    private sealed record Stage(string Name, long Records, Func<List<ChainBatch>> Build);

    /// <summary>The transactions in the order the chain needs them: parcels, exports, their confirmations (and voids and flags), the hubs' lots, re-exports, their confirmations.</summary>
    private static List<Stage> Stages(TradeYear year)
    {
        var p = year.Participants;
        List<ChainBatch> RoundRobin(string operation, IEnumerable<YearCertificate> certs) =>
        [
            .. certs.Select((c, i) => (c, i)).GroupBy(x => year.Relayers[x.i % year.Relayers.Count])
                .SelectMany(g => ChainBatches.Multicall(operation, g.Key, g.Select(x => ChainBatches.Relay(x.c.Document)))),
        ];
        List<ChainBatch> Confirmations(string operation, IEnumerable<YearCertificate> certs) =>
        [
            .. certs.Where(c => c.Confirmation is not null).GroupBy(c => p[c.Importer].Authority)
                .SelectMany(g => ChainBatches.Multicall(operation, g.Key, g.Select(c => ChainBatches.Confirm(c.Document, c.Confirmation!)))),
        ];
        List<ChainBatch> Parcels() => [.. year.Participants.Where(x => !x.IsHub).SelectMany((x, i) => ChainBatches.RegisterParcels(x.Member, year.OriginParcels[i]))];
        List<ChainBatch> ConfirmVoidFlag() =>
        [
            .. Confirmations("authority: confirm import of an export (multicall)", year.Exports),
            .. year.Exports.Where(c => c.Attack == AttackClass.Voided).GroupBy(c => p[c.Exporter].Authority)
                .SelectMany(g => ChainBatches.Multicall("authority: void certificate (multicall)", g.Key, g.Select(c => ChainBatches.Void(c.Document)))),
            .. ChainBatches.Multicall("governance: flag an origin parcel (multicall)", year.Governance, year.Exports.Where(c => c.Attack == AttackClass.FlaggedAncestor)
                .Select(c => ChainBatches.Flag(c.Document.Parcels[0], c.Document.Exporter, c.Document.Number))),
        ];
        List<ChainBatch> Lots() =>
        [
            .. year.Lots.GroupBy(l => p[l.Hub].Member).SelectMany(g => ChainBatches.Multicall("hub member: sort two shipments into mixed-origin lots (transform, multicall)",
                g.Key, g.Select(l => ChainBatches.Transform(l.Transformation)))),
        ];
        return
        [
            new("origin parcels", year.OriginParcels.Sum(x => x.Count), Parcels),
            new("export certificates", year.Exports.Count, () => RoundRobin("relayer: issue export certificate by signature (multicall)", year.Exports)),
            new("export confirmations, voids and flags", year.Exports.Count(c => c.Confirmation is not null || c.Attack is AttackClass.Voided or AttackClass.FlaggedAncestor)
                + year.Exports.Count(c => c.Attack == AttackClass.FlaggedAncestor), ConfirmVoidFlag),
            new("hub lots", year.Lots.Count, Lots),
            new("re-export certificates", year.ReExports.Count, () => RoundRobin("relayer: issue re-export certificate by signature (multicall)", year.ReExports)),
            new("re-export confirmations", year.ReExports.Count(c => c.Confirmation is not null),
                () => Confirmations("authority: confirm import of a re-export (multicall)", year.ReExports)),
        ];
    }

    private async Task RunStageAsync(ChainRpc rpc, BlockWatch blocks, string registry, BigInteger chainId, (BigInteger Max, BigInteger Tip) fees, IReadOnlyList<ChainBatch> batches,
        Action<int> landed, CancellationToken ct)
    {
        var streams = batches.GroupBy(b => b.Sender).Select(async g =>
        {
            var sender = _senders.GetOrAdd(g.Key, i => new OrderedSender(rpc, _accounts[i], chainId, fees.Max, fees.Tip, InFlightPerAccount, blocks));
            await Task.WhenAll(g.Select(async b =>
            {
                var handed = Stopwatch.GetTimestamp();
                var mined = await sender.SendAsync(registry, b.Data, b.Gas, ct);
                var landing = ((long)mined.BlockNumber, (long)b.Records, Stopwatch.GetElapsedTime(handed).TotalMilliseconds);
                _landed.Add(landing);
                _allLanded.Add(landing);
                var figures = _gas.GetOrAdd(b.Operation, _ => new long[3]);
                Interlocked.Increment(ref figures[0]);
                Interlocked.Add(ref figures[1], b.Records);
                Interlocked.Add(ref figures[2], mined.GasUsed);
                Interlocked.Increment(ref _transactions);
                landed(b.Records);
            }));
        });
        await Task.WhenAll(streams);
    }

    /// <summary>The batches whose records the chain does not have yet (each batch is all or nothing: its last call tells).</summary>
    private static async Task<HashSet<ChainBatch>> NotLandedAsync(RegistryReader reader, IReadOnlyList<ChainBatch> batches, CancellationToken ct)
    {
        var missing = new HashSet<ChainBatch>(ReferenceEqualityComparer.Instance);
        foreach (var chunk in batches.Chunk(400))
        {
            var read = reader.Batch();
            var probes = chunk.Select(b => (b, Landed: b.Probe(read))).ToList();
            await read.SendAsync(ct);
            foreach (var (b, landed) in probes) if (!landed()) missing.Add(b);
        }
        return missing;
    }

    /// <summary>Gives every account of the replay 1,000,000 ETH (a dev node funds only the first 20): Hardhat's method, else Anvil's.</summary>
    private static async Task FundAsync(ChainRpc rpc, int accounts)
    {
        var method = "hardhat_setBalance";
        for (var i = 0; i < accounts; i++)
        {
            try
            {
                await rpc.RequestAsync(method, DevNetwork.Account(i).Address, "0xd3c21bcecceda1000000");
            }
            catch (ChainRpcException) when (method == "hardhat_setBalance")
            {
                method = "anvil_setBalance";
                i--;
            }
        }
    }

    private async Task SetUpAsync(DevNetwork net, IReadOnlyList<YearParticipant> participants)
    {
        progress.WriteLine($"setting up {participants.Count} participants ({string.Join(", ", participants.Select(p => p.Code))}), their authorities and members…");
        foreach (var p in participants)
        {
            await net.As(0).AddParticipantAsync(p.Code);
            await net.As(0).AddAuthorityAsync(p.Code, _accounts[p.Authority].Address);
            await net.As(p.Authority).AddMemberAsync(_accounts[p.Member].Address);
        }
    }

    private static async Task TryReusedParcelsAsync(ChainRpc rpc, RegistryReader reader, TradeYear year)
    {
        foreach (var a in year.Attacks.Where(a => a.Class == AttackClass.ReusedParcel))
        {
            var data = RegistryReader.CallData(RegistryWriter.RelayMessage(a.Document, a.Document.Authorization!));
            try
            {
                await rpc.CallAsync(reader.Address, data, "latest", DevNetwork.Account(year.Relayers[0]).Address);
                a.Refusal = null;
            }
            catch (RevertException e)
            {
                a.Refusal = ContractRevertException.From(e).ErrorName;
            }
        }
    }

    private async Task<(List<ConfusionRow> Rows, double MeanMs)> VerifyAllAsync(RegistryReader reader, Eip712Domain domain, ulong fromBlock, TradeYear year,
        int concurrency, CancellationToken ct)
    {
        var work = year.Certificates.Where(c => c.Attack is null).Select(c => (Class: (AttackClass?)null, c.Document, c.Ancestors, Refusal: (string?)null))
            .Concat(year.Attacks.Select(a => (Class: (AttackClass?)a.Class, a.Document, a.Ancestors, a.Refusal))).ToList();
        var indexClock = Stopwatch.StartNew();
        var index = await VerificationIndex.ReadAsync(reader, fromBlock, ct: ct);
        ReturnMemory();
        progress.WriteLine($"read the events of {index.Count:N0} certificates and {index.Parcels:N0} parcels up to block {index.Block.Number:N0} " +
            $"in {indexClock.Elapsed.TotalSeconds:0.0} s ({Usage()})");
        var verdicts = new Verdict[work.Count];
        long done = 0, ticks = 0;
        // the verifications share one client whose concurrent reads go to the node together, many batches a request (a report's
        // own round trips would count the others' too); what Hardhat's time goes on is the eth_calls, which each batch packs in
        // a multicall (README, "Hardhat within the 10 minutes")
        using var shared = new ChainRpc(reader.Rpc.Url, TimeSpan.FromMinutes(5)).CoalesceReads();
        reader = new RegistryReader(shared, reader.Address);
        progress.WriteLine($"verifying {work.Count:N0} certificates as their importers would ({concurrency} at a time)…");
        // a few workers over the list (not a task a certificate waiting its turn: 57,000 of them held 35 MB)
        await Parallel.ForEachAsync(Enumerable.Range(0, work.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (i, token) =>
        {
            var watch = Stopwatch.StartNew();
            var report = await new DocumentVerifier(reader, domain, fromBlock) { Index = index }.VerifyAsync(work[i].Document, work[i].Ancestors, ct: token);
            Interlocked.Add(ref ticks, watch.ElapsedTicks);
            verdicts[i] = report.Verdict;
            Work?.Report(new WorkProgress("certificates verified", Interlocked.Increment(ref done), work.Count));
        });
        progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"verified {work.Count:N0} certificates: {shared.RoundTrips / (double)Math.Max(1, work.Count):0.00} requests to the node a certificate ({shared.Calls / (double)Math.Max(1, work.Count):0.0} calls) ({Usage()})"));
        var rows = new List<ConfusionRow>();
        foreach (var attack in Enum.GetValues<AttackClass>())
        {
            var expected = AttackVerdicts.Expected(attack);
            var of = work.Select((w, i) => (w, v: verdicts[i])).Where(x => x.w.Class == attack).ToList();
            rows.Add(new ConfusionRow(Name(attack), Name(expected), of.Count, of.Count(x => x.v == expected),
                of.GroupBy(x => Name(x.v)).ToDictionary(g => g.Key, g => g.Count()), of.Count(x => x.w.Refusal is not null)));
        }
        var genuine = work.Select((w, i) => (w, v: verdicts[i])).Where(x => x.w.Class is null).ToList();
        rows.Add(new ConfusionRow("genuine", Name(Verdict.Verified), genuine.Count, genuine.Count(x => x.v == Verdict.Verified),
            genuine.GroupBy(x => Name(x.v)).ToDictionary(g => g.Key, g => g.Count()), 0));
        // in double: a year's sum of Stopwatch ticks (nanoseconds here) times 10^7 overflowed a long (it printed -9.5 ms each)
        return (rows, Math.Round(ticks * 1000.0 / Stopwatch.Frequency / Math.Max(1, work.Count), 1));
    }

    /// <summary>An enum value as kp's JSON writes it (camelCase).</summary>
    private static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
