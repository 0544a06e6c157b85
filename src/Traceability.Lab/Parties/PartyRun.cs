using System.Diagnostics;
using Traceability.Chain.Connection;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Lab.DevChain;
using Traceability.Service.Store;

namespace Traceability.Lab.Parties;

/// <summary>
/// Many parties, one chain (kp demo --parties): one local node; governance adds BW, CF and AE with their authorities, the BW and CF
/// authorities each a member; then five anchoring services, each a process of its own with its own folder, account and nonces (two
/// members: parcels and sorts; the BW and CF authorities: certificates; the AE authority: import confirmations), all fed at once. Mid-run
/// the Debswana member's service is killed with SIGKILL and started again. At the end the chain is read: every record of every party
/// anchored once, by a transaction of its own party's account, every account's nonces gapless (<see cref="PartyAudit"/>).
/// </summary>
/// <param name="repositoryRoot">The checkout whose node_modules holds the node.</param>
/// <param name="folder">Where the deployment record and the services' folders go (emptied first).</param>
/// <param name="nodeKind">The node: automine (Hardhat, Anvil) or Besu-like (2 s blocks: several parties' transactions share a block).</param>
/// <param name="launcher">How a party's service process is started.</param>
/// <param name="output">Progress lines.</param>
public sealed class PartyRun(string repositoryRoot, string folder, LocalNodeKind nodeKind, PartyServiceLauncher launcher, TextWriter output)
{
    /// <summary>Origin parcels each member mines (even, at least 10); a tenth are sorted, the rest certified to AE two a certificate.</summary>
    public int ParcelsPerMember { get; init; } = 300;

    /// <summary>Most records in one of a service's transactions (small, so every party sends several).</summary>
    public int MaxBatch { get; init; } = 25;

    /// <summary>Time between a member's waves of documents.</summary>
    public TimeSpan WaveInterval { get; init; } = TimeSpan.FromMilliseconds(400);

    /// <summary>How long the killed service stays down (longer than a Besu-like block, so the others are seen anchoring meanwhile).</summary>
    public TimeSpan Downtime { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Longest the parties may take to anchor everything once fed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(240);

    /// <summary>The party whose service is killed mid-run.</summary>
    public static Party Victim => PartyPlan.Debswana;

    /// <summary>Runs it; the node and every service are stopped when it returns (or throws).</summary>
    public async Task<PartyRunResult> RunAsync(CancellationToken ct = default)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        await using var node = await LocalNode.StartAsync(repositoryRoot, nodeKind).ConfigureAwait(false);
        using var net = await DevNetwork.DeployAsync(node.Url).ConfigureAwait(false);
        var deploymentPath = Path.Combine(folder, "deployment.json");
        net.Deployment.Write(deploymentPath);
        output.WriteLine($"{nodeKind} node on {node.Url}, registry {net.Deployment.Address}");
        await SetUpAsync(net).ConfigureAwait(false);

        var plan = PartyPlan.Create(ParcelsPerMember, await net.Reader.BlockTimestampAsync().ConfigureAwait(false));
        var startBlock = (ulong)await net.Rpc.BlockNumberAsync().ConfigureAwait(false);
        var firstNonces = new Dictionary<Party, ulong>();
        foreach (var p in PartyPlan.Parties) firstNonces[p] = await NonceAsync(net, p.Address).ConfigureAwait(false);

        var environment = new Dictionary<string, string>();
        if (node.Environment(AccountSource.MnemonicVariable) is { } phrase) environment[AccountSource.MnemonicVariable] = phrase;
        var services = PartyPlan.Parties.Select(p => new PartyService(
            new PartyServiceStart(p, Path.Combine(folder, p.Name), deploymentPath, MaxBatch, 50, environment), launcher)).ToList();
        AppDomain.CurrentDomain.ProcessExit += StopOnExit;
        void StopOnExit(object? sender, EventArgs e)
        {
            foreach (var s in services) s.Dispose();
        }
        try
        {
            foreach (var s in services) s.Start();
            output.WriteLine($"{services.Count} anchoring services started, each its own process, folder and account; feeding them at once");
            var (kill, seconds) = await FeedAndSettleAsync(net, plan, services, ct).ConfigureAwait(false);
            foreach (var s in services) await s.StopAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            output.WriteLine($"every service settled in {seconds:0.0} s and stopped; reading the chain");
            return await PartyAudit.RunAsync(new PartyAuditInput(net, nodeKind, folder, plan, services, startBlock, firstNonces, kill, seconds)).ConfigureAwait(false);
        }
        finally
        {
            AppDomain.CurrentDomain.ProcessExit -= StopOnExit;
            foreach (var s in services) s.Dispose();
        }
    }

    private async Task SetUpAsync(DevNetwork net)
    {
        var gov = net.As(0);
        foreach (var authority in PartyPlan.Parties.Where(p => p.Role != PartyRole.Member))
        {
            await gov.AddParticipantAsync(authority.Participant).ConfigureAwait(false);
            await gov.AddAuthorityAsync(authority.Participant, authority.Address).ConfigureAwait(false);
        }
        await Task.WhenAll(
            net.As(PartyPlan.BwAuthority.AccountIndex).AddMemberAsync(PartyPlan.Debswana.Address),
            net.As(PartyPlan.CfAuthority.AccountIndex).AddMemberAsync(PartyPlan.Berberati.Address)).ConfigureAwait(false);
        output.WriteLine("governance added BW, CF and AE and their authorities; the BW and CF authorities each added a member");
    }

    /// <summary>The count of <paramref name="address"/>'s mined transactions: the nonce of its next one.</summary>
    internal static async Task<ulong> NonceAsync(DevNetwork net, string address) =>
        (ulong)ChainRpc.Quantity(await net.Rpc.RequestAsync("eth_getTransactionCount", address, "latest").ConfigureAwait(false));

    /// <summary>What each service must end with confirmed in its store: its own records, and for the AE authority also the certificates it confirms (found on chain).</summary>
    private static long Expected(PartyPlan plan, Party p) => plan.RecordsOf(p).Count * (p.Role == PartyRole.ImportingAuthority ? 2 : 1);

    private async Task<(PartyKill Kill, double Seconds)> FeedAndSettleAsync(DevNetwork net, PartyPlan plan, List<PartyService> services, CancellationToken ct)
    {
        var byParty = services.ToDictionary(s => s.Party);
        var victim = byParty[Victim];
        var victimRecords = plan.RecordsOf(Victim).Count;
        // killed once some of wave 2 is confirmed; its waves from 3 on arrive only after the kill, so the kill is always mid-run
        var killAbove = plan.MemberWaves[Victim].Take(2).Sum(w => w.Count);
        const int GatedFrom = 3;
        var nextWave = plan.MemberWaves.Keys.ToDictionary(m => m, _ => 0);
        var certificatesLeft = plan.Shipments.ToDictionary(s => s.Key, s => s.Value.Select(x => x.Certificate).ToList());
        var confirmationsLeft = plan.Shipments.Values.SelectMany(s => s).ToList();
        var issued = new HashSet<(string, Hash32)>();
        ulong issuedFrom = (ulong)await net.Rpc.BlockNumberAsync().ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        double? killedAt = null, restartedAt = null;
        long confirmedAtKill = 0;
        ulong killBlock = 0, restartBlock = 0;
        var lastChainPoll = TimeSpan.FromSeconds(-1);
        var drops = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            foreach (var (member, waves) in plan.MemberWaves)
            {
                var w = nextWave[member];
                if (w >= waves.Count || clock.Elapsed < w * WaveInterval) continue;
                if (member == Victim && w >= GatedFrom && restartedAt is null && killedAt is null) continue;
                byParty[member].Drop($"wave-{w + 1}", waves[w]);
                nextWave[member] = w + 1;
            }
            if (killedAt is null && victim.Counts().GetValueOrDefault(RecordStage.Confirmed) > killAbove)
            {
                confirmedAtKill = victim.Counts().GetValueOrDefault(RecordStage.Confirmed);
                await victim.KillAsync().ConfigureAwait(false);
                killedAt = clock.Elapsed.TotalSeconds;
                killBlock = (ulong)await net.Rpc.BlockNumberAsync().ConfigureAwait(false);
                confirmedAtKill = Math.Max(confirmedAtKill, victim.Counts().GetValueOrDefault(RecordStage.Confirmed));
                output.WriteLine($"{killedAt:0.0} s: killed {Victim.Name}'s service (SIGKILL) with {confirmedAtKill} of its {victimRecords} records confirmed");
            }
            if (killedAt is { } k && restartedAt is null && clock.Elapsed.TotalSeconds >= k + Downtime.TotalSeconds)
            {
                restartBlock = (ulong)await net.Rpc.BlockNumberAsync().ConfigureAwait(false);
                victim.Start();
                restartedAt = clock.Elapsed.TotalSeconds;
                output.WriteLine($"{restartedAt:0.0} s: started {Victim.Name}'s service again over the same folder");
            }
            // the chain and the stores are read every 300 ms (the waves and the kill every 100 ms)
            if (clock.Elapsed - lastChainPoll < TimeSpan.FromMilliseconds(300))
            {
                await Task.Delay(100, ct).ConfigureAwait(false);
                continue;
            }
            lastChainPoll = clock.Elapsed;
            drops += await DropCertificatesAsync(net, byParty, certificatesLeft, drops).ConfigureAwait(false);
            foreach (var e in await net.Reader.LogsAsync<CertificateIssuedEvent>(fromBlock: issuedFrom).ConfigureAwait(false))
            {
                issued.Add((Convert.ToHexString(e.Event.Exporter), Hash32.FromBytes(e.Event.NumberHash)));
            }
            var ready = confirmationsLeft.Where(c => issued.Contains((Convert.ToHexString(c.Certificate.Exporter.ToBytes()), c.Certificate.NumberHash))).ToList();
            if (ready.Count > 0)
            {
                byParty[PartyPlan.AeAuthority].Drop($"imports-{++drops}", ready.SelectMany(c => new KpRecord[] { c.Certificate, c.Confirmation }));
                confirmationsLeft.RemoveAll(ready.Contains);
            }
            foreach (var s in services.Where(s => s != victim || restartedAt is not null || killedAt is null))
            {
                if (s.HasExited) throw new PartyRunException($"{s.Party.Name}'s anchoring service stopped on its own:\n{s.Log}");
                if (s.Rejections() is { Count: > 0 } rejected) throw new PartyRunException($"{s.Party.Name}'s anchoring service rejected records: {string.Join("; ", rejected)}");
            }
            var fed = restartedAt is not null && nextWave.All(n => n.Value == PartyPlan.Waves) && certificatesLeft.Values.All(l => l.Count == 0) && confirmationsLeft.Count == 0;
            if (fed && services.All(s => Settled(s.Counts(), Expected(plan, s.Party)))) break;
            if (clock.Elapsed > Timeout)
            {
                throw new TimeoutException($"the parties did not anchor everything within {Timeout.TotalSeconds:0} s: " + string.Join("; ", services.Select(s =>
                    $"{s.Party.Name} {string.Join(", ", s.Counts().Where(c => c.Value > 0).Select(c => $"{c.Key.ToText()} {c.Value}"))} of {Expected(plan, s.Party)}")));
            }
            await Task.Delay(100, ct).ConfigureAwait(false);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var others = await PartyAudit.OthersTransactionsAsync(net, Victim, killBlock, restartBlock).ConfigureAwait(false);
        return (new PartyKill(Victim.Name, killedAt!.Value, restartedAt!.Value, confirmedAtKill, victimRecords, others), seconds);
    }

    private static bool Settled(IReadOnlyDictionary<RecordStage, long> counts, long expected) =>
        counts.GetValueOrDefault(RecordStage.Confirmed) == expected
        && counts.GetValueOrDefault(RecordStage.Received) + counts.GetValueOrDefault(RecordStage.Pending) + counts.GetValueOrDefault(RecordStage.Submitted) == 0;

    /// <summary>Gives each exporting authority the certificates whose parcels are all on chain now (a certificate is written once its goods exist).</summary>
    private static async Task<int> DropCertificatesAsync(DevNetwork net, Dictionary<Party, PartyService> byParty, Dictionary<Party, List<CertificateRecord>> left, int drops)
    {
        var made = 0;
        foreach (var (authority, certificates) in left)
        {
            if (certificates.Count == 0) continue;
            var hashes = certificates.SelectMany(c => c.Parcels).ToList();
            var exists = (await net.Reader.ParcelsAsync(hashes).ConfigureAwait(false)).Where(s => s.Exists).Select(s => s.Hash).ToHashSet();
            var ready = certificates.Where(c => c.Parcels.All(exists.Contains)).ToList();
            if (ready.Count == 0) continue;
            byParty[authority].Drop($"certificates-{drops + ++made}", ready);
            certificates.RemoveAll(ready.Contains);
        }
        return made;
    }
}

/// <summary>What <see cref="PartyAudit"/> reads the run's outcome from.</summary>
internal sealed record PartyAuditInput(DevNetwork Net, LocalNodeKind NodeKind, string Folder, PartyPlan Plan, IReadOnlyList<PartyService> Services, ulong StartBlock,
    IReadOnlyDictionary<Party, ulong> FirstNonces, PartyKill Kill, double Seconds);
