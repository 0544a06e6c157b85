using System.Diagnostics;
using Traceability.Chain.Registry;
using Traceability.Chain.Signing;
using Traceability.Chain.Transactions;
using Traceability.Core.Hashing;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Lab.Capacity;
using Traceability.Lab.DevChain;
using Traceability.Verifier;

namespace Traceability.Lab.Research;

/// <summary>Gas of one kind of operation over a simulation.</summary>
/// <param name="Count">How many were sent.</param>
/// <param name="MeanGas">Mean gas used.</param>
/// <param name="MaxGas">Most gas used by one.</param>
public sealed record OperationGas(int Count, long MeanGas, long MaxGas);

/// <summary>A producer as simulated.</summary>
/// <param name="Code">Its participant code.</param>
/// <param name="Carats">Its production that year, carats.</param>
/// <param name="UsdPerCarat">Its average price, US$ per carat.</param>
public sealed record ProducerFigures(string Code, decimal Carats, decimal UsdPerCarat);

/// <summary>The figures of a simulation (all measured on the chain, except the projection, which multiplies them).</summary>
/// <param name="Year">Year of the KP figures used.</param>
/// <param name="Node">The local node it ran on.</param>
/// <param name="Producers">The producers simulated.</param>
/// <param name="WorldShare">Their share of the listed producers' output.</param>
/// <param name="Certificates">Certificates issued, confirmed and verified.</param>
/// <param name="CaratsCertified">Carats certified.</param>
/// <param name="Verdicts">Verdicts of the importers' verifications, by name.</param>
/// <param name="VerifyMeanMs">Mean verification time, ms.</param>
/// <param name="VerifyP95Ms">95th percentile of the verification time, ms.</param>
/// <param name="VerifyRoundTrips">Mean JSON-RPC round trips of a verification.</param>
/// <param name="GasPerCertificate">Gas of a certificate's life (its parcels, transformations, issue and confirmation).</param>
/// <param name="CertificatesPerYear">The yearly volume projected to.</param>
/// <param name="ProjectedGasPerYear">Gas projected for that volume.</param>
/// <param name="ChainShare">Its share of a chain of 60 M gas blocks every 2 s.</param>
/// <param name="Seconds">How long the simulation took.</param>
/// <param name="GasByOperation">Gas by kind of operation.</param>
public sealed record SimulationResult(int Year, LocalNodeKind Node, IReadOnlyList<ProducerFigures> Producers, decimal WorldShare, int Certificates,
    decimal CaratsCertified, IReadOnlyDictionary<string, int> Verdicts, double VerifyMeanMs, double VerifyP95Ms, double VerifyRoundTrips,
    long GasPerCertificate, int CertificatesPerYear, long ProjectedGasPerYear, double ChainShare, double Seconds,
    IReadOnlyDictionary<string, OperationGas> GasByOperation);

/// <summary>What a simulation is asked to do.</summary>
/// <param name="Year">Year of the KP production figures to draw producers, shares and prices from.</param>
/// <param name="Certificates">Export certificates to simulate.</param>
/// <param name="ParcelsPerCertificate">Parcels per certificate.</param>
/// <param name="Producers">The year's largest producers to include.</param>
/// <param name="Seed">Random seed (same seed, same trade).</param>
/// <param name="Node">Hardhat or Anvil.</param>
/// <param name="CertificatesPerYear">The Process's yearly certificates to project to.</param>
/// <param name="ReexportShare">Share of hub imports merged, split and re-exported to India.</param>
public sealed record SimulationPlan(int Year, int Certificates, int ParcelsPerCertificate, int Producers, int Seed, LocalNodeKind Node,
    int CertificatesPerYear, decimal ReexportShare);

/// <summary>A simulation plan that cannot be played (bad year, too many producers): a usage error.</summary>
public sealed class SimulationPlanException(string message) : Exception(message);

/// <summary>
/// A trade year in miniature on a fresh local chain: the year's largest producers (by the public KP
/// figures) export to the trading hubs in proportion to their production, with parcels valued at
/// their country's average price; a share is merged, split and re-exported to India. Every
/// certificate is relayed with its authority's signature, confirmed, and verified by the importer.
/// Gas and verification cost are measured, then projected to the Process's yearly volume.
/// </summary>
public sealed class TradeSimulation(string repositoryRoot, string statisticsCsv, TextWriter progress)
{
    private static readonly (string Code, double Share)[] Hubs = [("AE", 0.5), ("EU", 0.3), ("IN", 0.2)];

    private readonly Dictionary<string, List<long>> _gas = [];
    private readonly List<double> _verifyMs = [];
    private readonly List<long> _roundTrips = [];
    private readonly Dictionary<Verdict, int> _verdicts = [];

    /// <summary>Told after each export certificate of the plan (null: nobody listens).</summary>
    public IProgress<WorkProgress>? Work { get; init; }

    /// <summary>Plays the plan on a fresh local node and returns the figures.</summary>
    /// <exception cref="SimulationPlanException">The plan cannot be played with these figures or the dev node's accounts.</exception>
    public async Task<SimulationResult> RunAsync(SimulationPlan plan)
    {
        var producers = KpStatistics.ProductionOf(statisticsCsv, plan.Year).Where(p => p.Code.Value is not ("AE" or "IN")).Take(plan.Producers).ToList();
        var world = KpStatistics.ProductionOf(statisticsCsv, plan.Year).Sum(p => p.Carats);
        var participants = producers.Select(p => p.Code.Value).Concat(Hubs.Select(h => h.Code)).ToList();
        if (participants.Count * 2 + 2 > 20) throw new SimulationPlanException("--producers: at most 7 (the dev node funds 20 accounts)");
        var random = new Random(plan.Seed);
        var clock = Stopwatch.StartNew();

        await using var node = await LocalNode.StartAsync(repositoryRoot, plan.Node);
        using var net = await DevNetwork.DeployAsync(node.Url);
        var (reader, domain, deployment) = (net.Reader, net.Domain, net.Deployment);
        RegistryWriter As(int i) => net.As(i);
        int Authority(string code) => 1 + 2 * participants.IndexOf(code);
        int Member(string code) => 2 + 2 * participants.IndexOf(code);
        var relayer = 19;

        progress.WriteLine($"setting up {participants.Count} participants ({string.Join(", ", participants)}) on {plan.Node}…");
        foreach (var code in participants)
        {
            var c = ParticipantCode.Parse(code);
            await Measure("governance: add participant", As(0).AddParticipantAsync(c));
            await Measure("governance: add authority", As(0).AddAuthorityAsync(c, DevNetwork.Account(Authority(code)).Address));
            await Measure("authority: add member", As(Authority(code)).AddMemberAsync(DevNetwork.Account(Member(code)).Address));
        }

        var totalCarats = producers.Sum(p => p.Carats);
        var certified = 0m;
        var certificates = 0;
        progress.WriteLine($"simulating {plan.Certificates} export certificates of {plan.ParcelsPerCertificate} parcels…");
        for (var n = 0; n < plan.Certificates; n++)
        {
            var producer = Pick(random, producers.Select(p => (p, (double)(p.Carats / totalCarats))));
            var hub = Pick(random, Hubs.Select(h => (h.Code, h.Share)));
            var now = await reader.BlockTimestampAsync();
            var parcels = Enumerable.Range(0, plan.ParcelsPerCertificate).Select(i =>
            {
                var carats = 200m + (decimal)random.NextDouble() * 4_800m;
                return new ParcelRecord($"{producer.Code}-SIM-{n:D4}-{i:D2}", producer.Code, [producer.Code], $"{producer.Name} mine", (ulong)(carats * 100),
                    (ulong)(carats * producer.UsdPerCarat * 100), "7102.10", now, Salt.New());
            }).ToList();
            await Measure("member: register parcels (batch)", As(Member(producer.Code.Value)).RegisterParcelsAsync(parcels));
            var cert = Certificate($"{producer.Code}{plan.Year}-{n:D6}", producer.Code.Value, hub, parcels, now);
            var signed = CertificateSigner.Sign(cert, now + 3_600, DevNetwork.Account(Authority(producer.Code.Value)), domain);
            await Measure("relayer: issue certificate by signature", As(relayer).RelayCertificateAsync(signed));
            await Measure("authority: confirm import", As(Authority(hub)).ConfirmImportAsync(cert, Confirmation(cert, now)));
            certificates++;
            certified += parcels.Sum(p => (decimal)p.Carats) / 100;
            await VerifyAsync(reader, domain, deployment.BlockNumber, signed);

            if (hub != "IN" && random.NextDouble() < (double)plan.ReexportShare)
            {
                var lotCarats = parcels.Sum(p => (decimal)p.Carats) / 100;
                var outputs = new[] { 0.55m, 0.45m }.Select((share, i) => new ParcelRecord($"{hub}-LOT-{n:D4}-{i}", ParticipantCode.Parse(hub), [producer.Code], "",
                    (ulong)(lotCarats * share * 100) - 1, (ulong)(lotCarats * share * producer.UsdPerCarat * 110), "7102.31", now, Salt.New())).ToList();
                var t = TransformationRecord.Create($"{hub}-MIX-{n:D4}", ParticipantCode.Parse(hub), "sort", parcels.Select(p => p.Hash()).Order(),
                    outputs, now, Salt.New());
                await Measure("member: transform (merge and split)", As(Member(hub)).TransformAsync(t));
                var re = Certificate($"{hub}{plan.Year}-{n:D6}", hub, "IN", outputs, now);
                await Measure("authority: issue certificate", As(Authority(hub)).IssueCertificateAsync(re));
                await Measure("authority: confirm import", As(Authority("IN")).ConfirmImportAsync(re, Confirmation(re, now)));
                certificates++;
                await VerifyAsync(reader, domain, deployment.BlockNumber, re);
            }
            Work?.Report(new WorkProgress("export certificates", n + 1, plan.Certificates));
        }
        clock.Stop();
        return Results(plan, producers, world, certified, certificates, clock.Elapsed);
    }

    private async Task Measure(string operation, Task<SentTransaction> send)
    {
        var tx = await send;
        if (!_gas.TryGetValue(operation, out var list)) _gas[operation] = list = [];
        list.Add((long)tx.GasUsed);
    }

    private async Task VerifyAsync(RegistryReader reader, Eip712Domain domain, ulong fromBlock, CertificateRecord cert)
    {
        var watch = Stopwatch.StartNew();
        var report = await new DocumentVerifier(reader, domain, fromBlock).VerifyAsync(cert);
        _verifyMs.Add(watch.Elapsed.TotalMilliseconds);
        _roundTrips.Add(report.RoundTrips);
        _verdicts[report.Verdict] = _verdicts.GetValueOrDefault(report.Verdict) + 1;
    }

    private SimulationResult Results(SimulationPlan plan, IReadOnlyList<Production> producers, decimal world, decimal certified, int certificates, TimeSpan elapsed)
    {
        var perOperation = _gas.ToDictionary(g => g.Key, g => new OperationGas(g.Value.Count, (long)g.Value.Average(), g.Value.Max()));
        // the life of a certificate: its parcels, transformations, issue and confirmation (set-up excluded)
        var lifecycleGas = _gas.Where(g => !g.Key.StartsWith("governance", StringComparison.Ordinal) && !g.Key.StartsWith("authority: add", StringComparison.Ordinal))
            .Sum(g => g.Value.Sum());
        var gasPerCertificate = certificates == 0 ? 0 : lifecycleGas / certificates;
        var yearlyGas = gasPerCertificate * plan.CertificatesPerYear;
        var sorted = _verifyMs.Order().ToList();
        return new SimulationResult(plan.Year, plan.Node, [.. producers.Select(p => new ProducerFigures(p.Code.Value, p.Carats, Math.Round(p.UsdPerCarat, 2)))],
            Math.Round(producers.Sum(p => p.Carats) / world, 4), certificates, certified, _verdicts.ToDictionary(v => v.Key.ToString(), v => v.Value),
            Math.Round(sorted.Average(), 1), Math.Round(sorted[(int)Math.Max(0, Math.Ceiling(sorted.Count * 0.95) - 1)], 1), Math.Round(_roundTrips.Average(), 2),
            gasPerCertificate, plan.CertificatesPerYear, yearlyGas, BesuCapacity.ProjectedShare(yearlyGas), Math.Round(elapsed.TotalSeconds, 1), perOperation);
    }

    private static T Pick<T>(Random random, IEnumerable<(T Item, double Weight)> items)
    {
        var list = items.ToList();
        var x = random.NextDouble() * list.Sum(i => i.Weight);
        foreach (var (item, weight) in list)
        {
            x -= weight;
            if (x <= 0) return item;
        }
        return list[^1].Item;
    }

    private static CertificateRecord Certificate(string number, string exporter, string importer, IReadOnlyList<ParcelRecord> parcels, ulong now) =>
        new(number, ParticipantCode.Parse(exporter), ParticipantCode.Parse(importer), now + 60 * 86_400, [.. parcels.Select(p => p.Hash())],
            new CertificateDetails(now, $"KP authority of {exporter}", $"Exporter, {exporter}", $"Importer, {importer}", (uint)parcels.Count,
                (ulong)parcels.Sum(p => (decimal)p.Carats), (ulong)parcels.Sum(p => (decimal)p.ValueUsdCents), parcels[0].HsCode,
                [.. parcels.SelectMany(p => p.Origins).Distinct()], Salt.New()));

    private static ImportConfirmationRecord Confirmation(CertificateRecord c, ulong now) =>
        new(c.Number, c.Exporter, c.Importer, (uint)c.Parcels.Length, c.Details.Carats, now + 60, $"KP authority of {c.Importer}", Salt.New());
}
