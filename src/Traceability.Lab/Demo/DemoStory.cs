using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Traceability.Chain.Registry;
using Traceability.Chain.Signing;
using Traceability.Core.Json;
using Traceability.Core.Participants;
using Traceability.Core.Policies;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Lab.DevChain;
using Traceability.Service;
using Traceability.Service.Hosting;
using Traceability.Service.Store;
using Traceability.Verifier;
using static Traceability.Lab.Demo.DemoDocuments;
using static Traceability.Lab.DevChain.DevNetwork;

namespace Traceability.Lab.Demo;

/// <summary>
/// kp demo: the whole story on a fresh local chain, with the anchoring service in-process:
/// mine output from Botswana and the Central African Republic's Berbérati compliant zone, sorting,
/// a BW -> AE certificate signed by the BW authority and relayed by the service, its import
/// confirmation, a mixed-origin re-export AE -> IN verified by the importer with its lineage,
/// then the attacks the system must stop. Leaves every document, the service's store and its
/// rejected area in <paramref name="outputFolder"/>; prints its progress to <paramref name="output"/>.
/// </summary>
/// <param name="repositoryRoot">The checkout whose node_modules holds the node.</param>
/// <param name="outputFolder">Where the documents and the service's folder go (emptied first).</param>
/// <param name="output">Progress lines.</param>
/// <param name="nodeKind">Hardhat or Anvil.</param>
public sealed class DemoStory(string repositoryRoot, string outputFolder, TextWriter output, LocalNodeKind nodeKind = LocalNodeKind.Hardhat)
{
    private const int Governance = 0, BwAuthority = 1, AeAuthority = 2, InAuthority = 3, CfAuthority = 4, EuAuthority = 5,
        Debswana = 6, DubaiTrader = 8, SuratCutter = 9, Berberati = 10, Impostor = 12, RuAuthority = 13, YakutianMiner = 14;

    // Botswana 2024 (KP statistics via the shared data set): 28.2 Mct worth US$3.31 bn, about US$117 per carat.
    private const decimal BotswanaUsdPerCarat = 117.38m;
    private const decimal CarUsdPerCarat = 165m;

    /// <summary>The steps a full run records (for the estimate of time left; a run with more simply counts on).</summary>
    public const int Steps = 36;

    /// <summary>The EU importer's origin policy in the sanctions step (written next to the documents as eu-import-policy.json).</summary>
    public const string EuPolicy = """
        {
          "schemaVersion": 1,
          "kind": "originPolicy",
          "name": "EU rough-diamond import screening",
          "restrictedOrigins": ["RU"],
          "originRules": [
            { "origin": "CF", "compliantZones": ["Berbérati", "Carnot", "Nola"], "appliesFromCarats": 100 }
          ],
          "untraced": { "action": "refuse" }
        }
        """;

    private readonly DemoReport _report = new(output);
    private readonly ServiceLayout _service = new(Path.Combine(outputFolder, "service"));
    private string Docs => Path.Combine(outputFolder, "documents");
    private string Inbox => _service.Inbox;

    /// <summary>The steps, for the summary: filled in while <see cref="RunAsync"/> plays the story.</summary>
    public DemoReport Report => _report;

    /// <summary>Plays the story; true when every step went as it must.</summary>
    /// <param name="whileUp">
    /// Run after the story while the chain is still up (kp demo --portal serves the portal over it until Ctrl+C); the node
    /// stops when it returns.
    /// </param>
    public async Task<bool> RunAsync(Func<DemoChain, Task>? whileUp = null)
    {
        if (Directory.Exists(outputFolder)) Directory.Delete(outputFolder, recursive: true);
        Directory.CreateDirectory(Docs);
        _report.Section("Local chain");
        await using var node = await LocalNode.StartAsync(repositoryRoot, nodeKind);
        _report.Done("researcher", $"start a local {nodeKind} node on {node.Url}", $"process {node.ProcessId}; stopped when the demo ends");
        using var net = await DevNetwork.DeployAsync(node.Url);
        var deployment = net.Deployment;
        var deploymentPath = Path.Combine(outputFolder, "deployment.json");
        deployment.Write(deploymentPath);
        _report.Done("governance", "deploy the KimberleyRegistry from .NET", $"{deployment.Address}, block {deployment.BlockNumber}");

        await SetUpAsync(net);
        using var host = StartService(deploymentPath);
        await host.StartAsync();
        var store = host.Services.GetRequiredService<RecordStore>();
        _report.Done("Debswana", "start its anchoring service (drop folder + SQLite store)", $"inbox {Inbox}");
        Trade story;
        try
        {
            story = await TradeAsync(net, store);
            await SanctionsAsync(net, story);
            await AttacksAsync(net, store, story);
        }
        finally
        {
            await host.StopAsync();
        }
        if (whileUp is not null)
        {
            await whileUp(new DemoChain(node.Url, deploymentPath, Docs, story.AeToIn, Path.Combine(Docs, FileName(story.AeToIn)),
                [.. story.Mined, .. story.Sorted, story.Cf, story.Lot, .. story.Mixed, .. story.Transformations], (ulong)deployment.ChainId, deployment.Address));
        }
        return _report.AllOk;
    }

    private IHost StartService(string deploymentPath) => ServiceHost.Build([], new Dictionary<string, string?>
    {
        ["Anchoring:ServiceDirectory"] = _service.Directory,
        ["Anchoring:DeploymentPath"] = deploymentPath,
        ["Anchoring:AccountIndex"] = Debswana.ToString(CultureInfo.InvariantCulture),
        ["Anchoring:MaxBatchDelayMs"] = "100",
        ["Anchoring:PollIntervalMs"] = "20",
    }, logging: _ => { }, inProcess: true);

    private async Task SetUpAsync(DevNetwork net)
    {
        _report.Section("Participants, authorities, members");
        var gov = net.As(Governance);
        foreach (var (code, authority) in new[] { ("BW", BwAuthority), ("AE", AeAuthority), ("EU", EuAuthority), ("IN", InAuthority), ("CF", CfAuthority), ("RU", RuAuthority) })
        {
            var c = ParticipantCode.Parse(code);
            await gov.AddParticipantAsync(c);
            await gov.AddAuthorityAsync(c, Account(authority).Address);
            _report.Done("governance", $"add {KpParticipants.Find(c)!.Name} ({code}) and its KP authority", Account(authority).Address);
        }
        foreach (var (authority, member, who) in new[] { (BwAuthority, Debswana, "Debswana (miner, BW)"), (AeAuthority, DubaiTrader, "a Dubai rough trader (AE)"),
                     (InAuthority, SuratCutter, "a Surat cutter (IN)"), (CfAuthority, Berberati, "a Berbérati mining cooperative (CF, compliant zone)"),
                     (RuAuthority, YakutianMiner, "a Yakutian mining company (RU)") })
        {
            await net.As(authority).AddMemberAsync(Account(member).Address);
            _report.Done("authority", $"register member {who}", Account(member).Address);
        }
    }

    private sealed record Trade(List<ParcelRecord> Mined, List<ParcelRecord> Sorted, ParcelRecord Cf, List<ParcelRecord> Mixed, ParcelRecord Lot,
        List<TransformationRecord> Transformations, CertificateRecord BwToAe, CertificateRecord CfToAe, CertificateRecord AeToIn);

    private async Task<Trade> TradeAsync(DevNetwork net, RecordStore store)
    {
        var now = await net.Reader.BlockTimestampAsync();
        _report.Section("Mine to export: Botswana -> United Arab Emirates (through the anchoring service)");
        var mined = new List<ParcelRecord>();
        foreach (var (mine, ct) in new[] { ("Jwaneng", 2_450.75m), ("Jwaneng", 3_120.10m), ("Jwaneng", 1_880.00m), ("Jwaneng", 2_015.40m), ("Orapa", 4_210.55m), ("Orapa", 3_300.00m) })
        {
            mined.Add(Parcel("BW", $"DEB-{mine[..2].ToUpperInvariant()}-2026-{mined.Count + 1:D4}", mine, ct, BotswanaUsdPerCarat, "7102.10", ["BW"], now));
        }
        await DropAndWaitAsync(store, mined);
        _report.Done("Debswana", "register 6 run-of-mine parcels (Jwaneng, Orapa) via the drop folder", $"anchored in one batch: {await WhereAsync(store, mined[0])}");

        var sortInputs = mined.Take(2).ToList();
        var total = sortInputs.Sum(p => (decimal)p.Carats) / 100;
        var sorted = new List<ParcelRecord>
        {
            Parcel("BW", "ODC-ASSORT-GEM-01", "", total * 0.42m, 210m, "7102.31", ["BW"], now),
            Parcel("BW", "ODC-ASSORT-NG-02", "", total * 0.33m, 95m, "7102.31", ["BW"], now),
            Parcel("BW", "ODC-ASSORT-IND-03", "", Math.Round(total * 0.25m, 2), 12m, "7102.21", ["BW"], now),
        };
        var sort = TransformationRecord.Create("DEB-SORT-2026-0001", ParticipantCode.Parse("BW"), "sort", sortInputs.Select(p => p.Hash()).Order(),
            sorted, now, Salt.New());
        Save(sorted);
        await DropAndWaitAsync(store, [sort]);
        _report.Done("Debswana", "sort 2 run-of-mine parcels into 3 assortments (a transformation)", $"inputs consumed, outputs created: {await WhereAsync(store, sort)}");

        var shipment = new List<ParcelRecord>([.. sorted.Take(2), .. mined.Skip(2).Take(2)]);
        var bwToAe = Certificate("BW2026-004711", "BW", "AE", shipment, now, 60, "Diamond Hub, Ministry of Minerals and Energy, Gaborone",
            "Okavango Diamond Company, Gaborone", "Dubai rough trader DMCC, Dubai");
        var signed = CertificateSigner.Sign(bwToAe, now + 3_600, Account(BwAuthority), net.Domain);
        await DropAndWaitAsync(store, [signed]);
        _report.Done("BW authority", $"sign certificate {bwToAe.Number} (EIP-712); the service relays it", $"issued, {shipment.Count} parcels locked: {await WhereAsync(store, signed)}");

        var bwConfirmation = Confirmation(bwToAe, now + 600, "UAE Kimberley Process Office, Dubai");
        await net.As(AeAuthority).ConfirmImportAsync(bwToAe, bwConfirmation);
        _report.Done("AE authority", $"confirm the import of {bwToAe.Number}", "parcels now held by AE");

        _report.Section("Berbérati compliant zone (Central African Republic) -> AE");
        var cf = Parcel("CF", "CF-BERB-2026-0042", "Berbérati", 310.40m, CarUsdPerCarat, "7102.10", ["CF"], now);
        await net.As(Berberati).RegisterParcelsAsync([cf]);
        _report.Done("Berbérati coop", "register an origin parcel from the compliant zone", cf.Hash().ToShortString());
        var cfToAe = Certificate("CF2026-000318", "CF", "AE", [cf], now, 60, "Kimberley Process Permanent Secretariat, Bangui", "Berbérati cooperative, Berbérati", "Dubai rough trader DMCC, Dubai");
        await net.As(CfAuthority).IssueCertificateAsync(cfToAe);
        await net.As(AeAuthority).ConfirmImportAsync(cfToAe, Confirmation(cfToAe, now + 600, "UAE Kimberley Process Office, Dubai"));
        _report.Done("CF and AE authorities", $"certificate {cfToAe.Number} issued and its import confirmed", "parcel held by AE");

        _report.Section("Re-export of mixed origin: AE -> India");
        var lotInputs = new List<ParcelRecord>([.. shipment, cf]);
        var lotCarats = lotInputs.Sum(p => (decimal)p.Carats) / 100;
        var lot = Parcel("AE", "DXB-LOT-7781", "", lotCarats, 150m, "7102.31", ["BW", "CF"], now);
        var merge = TransformationRecord.Create("DXB-MERGE-7781", ParticipantCode.Parse("AE"), "merge", lotInputs.Select(p => p.Hash()).Order(), [lot], now, Salt.New());
        await net.As(DubaiTrader).TransformAsync(merge);
        var mixed = new List<ParcelRecord>
        {
            Parcel("AE", "DXB-LOT-7781-A", "", Math.Round(lotCarats * 0.6m, 2), 150m, "7102.31", ["BW", "CF"], now),
            Parcel("AE", "DXB-LOT-7781-B", "", Math.Round(lotCarats * 0.4m, 2) - 0.01m, 150m, "7102.31", ["BW", "CF"], now),
        };
        var split = TransformationRecord.Create("DXB-SPLIT-7781", ParticipantCode.Parse("AE"), "split", [lot.Hash()], mixed, now, Salt.New());
        await net.As(DubaiTrader).TransformAsync(split);
        Save([lot, .. mixed, merge, split, cf, cfToAe]);
        _report.Done("Dubai trader", "merge the BW and CF goods into one lot and split it in two", "4 + 1 parcels consumed, 2 created");

        var aeToIn = Certificate("AE2026-000815", "AE", "IN", mixed, now, 60, "UAE Kimberley Process Office, Dubai", "Dubai rough trader DMCC, Dubai", "Surat Diamond Cutters Ltd, Surat");
        await net.As(AeAuthority).IssueCertificateAsync(aeToIn);
        await net.As(InAuthority).ConfirmImportAsync(aeToIn, Confirmation(aeToIn, now + 900, "Gem & Jewellery Export Promotion Council KP cell, Mumbai"));
        Save([aeToIn]);
        _report.Done("AE and IN authorities", $"certificate {aeToIn.Number} (mixed origin) issued and its import confirmed", "parcels held by IN");

        var verifier = new DocumentVerifier(net.Reader, net.Domain, net.Deployment.BlockNumber);
        var ancestors = new List<KpRecord>([.. mined, .. sorted, cf, lot, .. mixed, sort, merge, split]);
        var report = await verifier.VerifyAsync(aeToIn, ancestors);
        _report.Done("Surat importer", $"verify {aeToIn.Number} with its ancestors", $"{report.Verdict}: origins {string.Join(" + ", report.Origins)}, " +
            $"{report.Checks.Count(c => c.Status == CheckStatus.Pass)} checks pass, lineage {report.Lineage.Max(l => l.Depth)} levels deep, {report.RoundTrips} RPC round trips", report.IsVerified);
        PrintLineage(report);
        return new Trade(mined, sorted, cf, mixed, lot, [sort, merge, split], signed, cfToAe, aeToIn);
    }

    /// <summary>
    /// Russian rough laundered through Dubai: mined in RU (a KP participant), exported to AE, merged with a Botswana
    /// parcel and split, one part re-exported to the EU declaring mixed origin. The KP chain checks all pass; the EU
    /// importer's origin policy (RU restricted) stops it with the path down to the Russian parcel and its share.
    /// Its documents go to documents/restricted/ (the documents folder itself stays the Indian import's lineage).
    /// </summary>
    private async Task SanctionsAsync(DevNetwork net, Trade t)
    {
        _report.Section("Sanctions at the EU border: Russian rough mixed in Dubai and re-exported");
        var now = await net.Reader.BlockTimestampAsync();
        var folder = Directory.CreateDirectory(Path.Combine(Docs, "restricted")).FullName;
        void Keep(IEnumerable<KpRecord> records)
        {
            foreach (var r in records) File.WriteAllText(Path.Combine(folder, FileName(r)), RecordJson.Write(r));
        }
        ImportConfirmationRecord Confirmed(CertificateRecord c)
        {
            var conf = new ImportConfirmationRecord(c.Number, c.Exporter, c.Importer, (uint)c.Parcels.Length, c.Details.Carats, now + 600, "UAE Kimberley Process Office, Dubai", Salt.New());
            Keep([conf]);
            return conf;
        }
        var ru = Parcel("RU", "YKT-UDA-2026-0007", "Udachny", 1_250.00m, 120m, "7102.10", ["RU"], now);
        await net.As(YakutianMiner).RegisterParcelsAsync([ru]);
        var ruToAe = Certificate("RU2026-031877", "RU", "AE", [ru], now, 60, "Gokhran KP office, Moscow", "Yakutian mining company, Mirny", "Dubai rough trader DMCC, Dubai");
        await net.As(RuAuthority).IssueCertificateAsync(ruToAe);
        await net.As(AeAuthority).ConfirmImportAsync(ruToAe, Confirmed(ruToAe));
        _report.Done("Yakutian miner, RU and AE authorities", $"register a Russian origin parcel (Udachny) and export it to Dubai ({ruToAe.Number})", "parcel held by AE");

        var orapa = t.Mined[4];
        var bwToAe = Certificate("BW2026-004712", "BW", "AE", [orapa], now, 60, "Diamond Hub, Ministry of Minerals and Energy, Gaborone",
            "Okavango Diamond Company, Gaborone", "Dubai rough trader DMCC, Dubai");
        await net.As(BwAuthority).IssueCertificateAsync(bwToAe);
        await net.As(AeAuthority).ConfirmImportAsync(bwToAe, Confirmed(bwToAe));
        var lotCarats = (ru.Carats + orapa.Carats) / 100m;
        var lot = Parcel("AE", "DXB-LOT-8802", "", lotCarats, 140m, "7102.10", ["BW", "RU"], now);
        var merge = TransformationRecord.Create("DXB-MERGE-8802", ParticipantCode.Parse("AE"), "merge", new[] { ru.Hash(), orapa.Hash() }.Order(), [lot], now, Salt.New());
        await net.As(DubaiTrader).TransformAsync(merge);
        var parts = new List<ParcelRecord>
        {
            Parcel("AE", "DXB-LOT-8802-A", "", Math.Round(lotCarats * 0.55m, 2), 140m, "7102.10", ["BW", "RU"], now),
            Parcel("AE", "DXB-LOT-8802-B", "", Math.Round(lotCarats * 0.45m, 2) - 0.01m, 140m, "7102.10", ["BW", "RU"], now),
        };
        var split = TransformationRecord.Create("DXB-SPLIT-8802", ParticipantCode.Parse("AE"), "split", [lot.Hash()], parts, now, Salt.New());
        await net.As(DubaiTrader).TransformAsync(split);
        var aeToEu = Certificate("AE2026-000902", "AE", "EU", [parts[0]], now, 60, "UAE Kimberley Process Office, Dubai", "Dubai rough trader DMCC, Dubai", "Antwerp rough importer BV, Antwerp");
        await net.As(AeAuthority).IssueCertificateAsync(aeToEu);
        List<KpRecord> ancestors = [ru, orapa, lot, .. parts, merge, split];
        Keep([ru, ruToAe, orapa, bwToAe, lot, .. parts, merge, split, aeToEu]);
        _report.Done("Dubai trader and AE authority", $"merge it with a Botswana parcel (Orapa), split the lot, re-export one part to the EU as mixed origin ({aeToEu.Number}: BW + RU)",
            "2 parcels consumed, 2 created, certificate issued");

        var plain = await new DocumentVerifier(net.Reader, net.Domain, net.Deployment.BlockNumber).VerifyAsync(aeToEu, ancestors);
        _report.Done("EU importer (no origin policy)", $"verify {aeToEu.Number} with its ancestors", $"{plain.Verdict}: every KP check passes, origins {string.Join(" + ", plain.Origins)}",
            plain.Verdict == Verdict.Verified);

        var policyPath = Path.Combine(outputFolder, "eu-import-policy.json");
        File.WriteAllText(policyPath, EuPolicy + "\n");
        var policy = PolicyJson.Parse(EuPolicy);
        var screened = await new DocumentVerifier(net.Reader, net.Domain, net.Deployment.BlockNumber) { Policy = policy }.VerifyAsync(aeToEu, ancestors);
        var names = ancestors.OfType<ParcelRecord>().ToDictionary(p => p.Hash(), p => p.ParcelId);
        var finding = screened.Policy?.Findings.FirstOrDefault();
        var path = finding is null ? "nothing caught" : string.Join(" <- ", finding.Paths[0].Select(h => names.GetValueOrDefault(h, h.ToShortString())));
        var share = finding?.Share is { } sh ? $"; {sh * 100:0.#} % of the shipment's carats ({finding.Carats / 100m:0.00} ct)" : "";
        _report.Done("EU importer (origin policy: RU restricted)", $"verify {aeToEu.Number} with kp verify --policy eu-import-policy.json",
            $"{screened.Verdict}: {path}{share}", screened.Verdict == Verdict.Restricted && finding?.Origin?.Value == "RU");
    }

    private async Task AttacksAsync(DevNetwork net, RecordStore store, Trade t)
    {
        _report.Section("Attacks the system must stop");
        var verifier = new DocumentVerifier(net.Reader, net.Domain, net.Deployment.BlockNumber);
        var now = await net.Reader.BlockTimestampAsync();

        var forged = t.AeToIn with { Number = "AE2026-999999" };
        Save([forged], "attack-forged-certificate.json");
        await Expect(verifier, "forger", "present a certificate with an invented number", forged, Verdict.NotFound);

        var tampered = t.AeToIn with { Details = t.AeToIn.Details with { ValueUsdCents = t.AeToIn.Details.ValueUsdCents * 3 } };
        Save([tampered], "attack-tampered-certificate.json");
        await Expect(verifier, "smuggler", "present the genuine certificate with its value tripled", tampered, Verdict.Tampered);

        var spare = Parcel("BW", "DEB-JW-2026-0099", "Jwaneng", 500m, BotswanaUsdPerCarat, "7102.10", ["BW"], now);
        await DropAndWaitAsync(store, [spare]);
        var impostorCert = CertificateSigner.Sign(Certificate("BW2026-004799", "BW", "AE", [spare], now, 60, "Diamond Hub", "Someone, Gaborone", "Someone, Dubai"),
            now + 3_600, Account(Impostor), net.Domain);
        var rejection = await DropAndWaitAsync(store, [impostorCert], expectRejection: true);
        var neverAnchored = await verifier.VerifyAsync(impostorCert);
        _report.Done("impostor", "sign a BW certificate without being an authority, submit it to the service",
            $"service refused it ({rejection}); verifier says {neverAnchored.Verdict}", rejection.Contains("NotAnAuthority", StringComparison.Ordinal) && neverAnchored.Verdict == Verdict.NotFound);

        var signedAltered = t.BwToAe with { Details = t.BwToAe.Details with { Carats = t.BwToAe.Details.Carats + 10_000 } };
        Save([signedAltered], "attack-signed-and-altered-certificate.json");
        await Expect(verifier, "smuggler", "add 100 ct to the genuine signed BW certificate (signature kept)", signedAltered, Verdict.Tampered);

        var resigned = CertificateSigner.Sign(t.BwToAe with { Authorization = null }, t.BwToAe.Authorization!.Deadline, Account(Impostor), net.Domain);
        Save([resigned], "attack-resigned-certificate.json");
        await Expect(verifier, "impostor", "present the genuine BW certificate under its own signature", resigned, Verdict.Unauthorized);

        var reuse = TransformationRecord.Create("DEB-SORT-2026-0002", ParticipantCode.Parse("BW"), "sort", [t.Mined[0].Hash()],
            [Parcel("BW", "ODC-RESORT-01", "", 10m, 100m, "7102.31", ["BW"], now)], now, Salt.New());
        var reused = await DropAndWaitAsync(store, [reuse], expectRejection: true);
        _report.Done("Debswana (mistake or fraud)", "sort a parcel that an earlier sort already consumed", $"service refused it: {reused}", reused.Contains("ParcelNotActive", StringComparison.Ordinal));

        var smuggled = Parcel("BW", "UNREGISTERED-0001", "Unknown", 800m, BotswanaUsdPerCarat, "7102.10", ["BW"], now);
        var smuggleCert = CertificateSigner.Sign(Certificate("BW2026-004800", "BW", "AE", [t.Mined[5], smuggled], now, 60, "Diamond Hub", "Okavango Diamond Company", "Dubai rough trader DMCC"),
            now + 3_600, Account(BwAuthority), net.Domain);
        var smuggledResult = await DropAndWaitAsync(store, [smuggleCert], expectRejection: true);
        var padded = t.AeToIn with { Parcels = [.. t.AeToIn.Parcels, smuggled.Hash()], Details = t.AeToIn.Details with { ParcelCount = 3 } };
        var paddedReport = await verifier.VerifyAsync(padded);
        _report.Done("smuggler", "slip an unregistered parcel into a shipment (new certificate, and added to a genuine one)",
            $"service refused the certificate ({smuggledResult}); the padded genuine one is {paddedReport.Verdict}",
            smuggledResult.Contains("UnknownParcel", StringComparison.Ordinal) && paddedReport.Verdict == Verdict.Tampered);

        var late = Certificate("BW2026-004801", "BW", "AE", [t.Mined[5]], now, 1, "Diamond Hub", "Okavango Diamond Company", "Dubai rough trader DMCC");
        await net.As(BwAuthority).IssueCertificateAsync(late);
        await net.Rpc.RequestAsync("evm_increaseTime", 2 * 86_400);
        await net.Rpc.RequestAsync("evm_mine");
        string lateOutcome;
        try
        {
            await net.As(AeAuthority).ConfirmImportAsync(late, Confirmation(late, now + 2 * 86_400, "UAE Kimberley Process Office, Dubai"));
            lateOutcome = "NOT refused";
        }
        catch (ContractRevertException e)
        {
            lateOutcome = $"{e.ErrorName}: {e.Message}";
        }
        var lateReport = await verifier.VerifyAsync(late);
        _report.Done("AE authority (too late)", "confirm an import two days after a one-day certificate expired",
            $"registry refused it ({lateOutcome}); verifier says {lateReport.Verdict}", lateOutcome.StartsWith("CertificateExpired", StringComparison.Ordinal) && lateReport.Verdict == Verdict.Expired);

        var malformed = Path.Combine(Inbox, "broken-upload.json");
        await File.WriteAllTextAsync(malformed + ".tmp", "{\"schemaVersion\": 1, \"kind\": \"parcel\", \"parcelId\": \"X\", \"carats\": \"lots\"");
        File.Move(malformed + ".tmp", malformed);
        var broken = await WaitForSourceAsync(store, "broken-upload.json");
        _report.Done("anyone", "drop a truncated document into the service's inbox", $"kept and rejected with its reason: {broken}", broken.Contains("format", StringComparison.Ordinal));
    }

    private async Task Expect(DocumentVerifier verifier, string actor, string action, KpRecord document, Verdict expected)
    {
        var report = await verifier.VerifyAsync(document);
        var failed = report.Checks.FirstOrDefault(c => c.Status == CheckStatus.Fail);
        _report.Done(actor, action, $"verifier says {report.Verdict}" + (failed is null ? "" : $" ({failed.Name}: {failed.Reason})"), report.Verdict == expected);
    }

    private void PrintLineage(VerificationReport report)
    {
        output.WriteLine("      lineage of the Indian import:");
        var seen = new HashSet<Hash32>();
        void Walk(LineageNode n, int depth)
        {
            var origin = n.State.IsOrigin ? $"origin, mined in {n.RegisteredIn}" : $"{n.State.Holder}, made by {n.Transformation?.ToShortString()}";
            var again = !seen.Add(n.Parcel) && n.Parents.Count > 0;
            output.WriteLine($"      {new string(' ', depth * 2)}{n.Document?.ParcelId ?? n.Parcel.ToShortString()}  {n.Document?.Carats / 100m:0.00} ct  ({origin}){(again ? "  (its parents are shown above)" : "")}");
            if (!again) foreach (var p in n.Parents) Walk(p, depth + 1);
        }
        foreach (var root in report.Lineage) Walk(root, 1);
    }

    /// <summary>Writes documents into the inbox (write, then rename) and waits until the service settles them.</summary>
    private async Task<string> DropAndWaitAsync(RecordStore store, IReadOnlyList<KpRecord> records, bool expectRejection = false)
    {
        // an attack's documents are kept as attack-*.json, so the folder's other documents are the trade's own (its lineage, verifiable as a whole)
        foreach (var r in records) Save([r], expectRejection ? "attack-" + FileName(r) : null);
        Directory.CreateDirectory(Inbox);
        foreach (var r in records)
        {
            var name = FileName(r);
            var path = Path.Combine(Inbox, name);
            await File.WriteAllTextAsync(path + ".tmp", RecordJson.Write(r));
            File.Move(path + ".tmp", path, overwrite: true);
        }
        var outcome = "";
        foreach (var r in records) outcome = await WaitForSourceAsync(store, FileName(r));
        if (!expectRejection && outcome.StartsWith("rejected", StringComparison.Ordinal)) throw new InvalidOperationException($"the service refused a genuine record: {outcome}");
        return outcome;
    }

    private static async Task<string> WaitForSourceAsync(RecordStore store, string source)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var row = store.WithStatus(RecordStage.Confirmed, int.MaxValue, withDocument: false).LastOrDefault(r => r.Source == source)
                ?? store.WithStatus(RecordStage.Rejected, int.MaxValue, withDocument: false).LastOrDefault(r => r.Source == source);
            if (row is not null)
            {
                return row.Stage == RecordStage.Confirmed
                    ? $"tx {row.TransactionHash?[..12]}…, block {row.BlockNumber}"
                    : $"rejected [{row.Rule}] {row.Field}: {row.Reason}";
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"the service did not settle {source} within 60 s");
    }

    private static async Task<string> WhereAsync(RecordStore store, KpRecord r) => await WaitForSourceAsync(store, FileName(r));

    private void Save(IEnumerable<KpRecord> records, string? name = null)
    {
        foreach (var r in records) File.WriteAllText(Path.Combine(Docs, name ?? FileName(r)), RecordJson.Write(r));
    }

    private static string FileName(KpRecord r) => r switch
    {
        ParcelRecord p => $"parcel-{p.ParcelId}.json",
        TransformationRecord t => $"transformation-{t.TransformationId}.json",
        CertificateRecord c => $"certificate-{c.Number}.json",
        ImportConfirmationRecord i => $"confirmation-{i.CertificateNumber}.json",
        _ => $"{r.Hash()}.json",
    };

    private ImportConfirmationRecord Confirmation(CertificateRecord c, ulong at, string authority)
    {
        var conf = DemoDocuments.Confirmation(c, at, authority);
        Save([conf]);
        return conf;
    }
}

/// <summary>The demo's chain while it is up: where it answers, its deployment, its documents, and the certificate to show.</summary>
/// <param name="RpcUrl">The node's endpoint.</param>
/// <param name="DeploymentPath">The deployment record.</param>
/// <param name="DocumentsFolder">Every document of the story.</param>
/// <param name="Showcase">The mixed-origin AE -> IN certificate (three transformations deep, its import confirmed).</param>
/// <param name="ShowcasePath">Its document.</param>
/// <param name="ShowcaseAncestors">Every parcel and transformation document of its lineage (what its importer verifies it with).</param>
/// <param name="ChainId">The chain id.</param>
/// <param name="Registry">The registry's address.</param>
public sealed record DemoChain(string RpcUrl, string DeploymentPath, string DocumentsFolder, CertificateRecord Showcase, string ShowcasePath,
    IReadOnlyList<KpRecord> ShowcaseAncestors, ulong ChainId, string Registry);
