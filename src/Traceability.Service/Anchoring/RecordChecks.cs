using Microsoft.Extensions.Logging;
using Traceability.Chain.Registry;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Service.Diagnostics;
using Traceability.Service.Store;

namespace Traceability.Service.Anchoring;

/// <summary>What the pre-check decides for a pending record.</summary>
public enum CheckOutcome
{
    /// <summary>It can go into this round's batch.</summary>
    Ready,

    /// <summary>It waits: its parents (or its certificate) are still on their way, or another record of this batch uses a parcel first.</summary>
    Defer,

    /// <summary>The chain would refuse it: it is rejected with a rule, field and reason.</summary>
    Reject,

    /// <summary>It is on chain already (a crash after sending, or someone else anchored it): it counts as anchored.</summary>
    OnChain,
}

/// <summary>A pending record, parsed, on its way into a batch.</summary>
/// <param name="Stored">The store's row.</param>
/// <param name="Record">The parsed document.</param>
/// <param name="Hash">Its EIP-712 hash.</param>
public sealed record Candidate(StoredRecord Stored, KpRecord Record, Hash32 Hash);

/// <summary>The pre-check's decision for one candidate.</summary>
/// <param name="Item">The candidate.</param>
/// <param name="Outcome">The decision.</param>
/// <param name="Rule">The rule it breaks (when rejected).</param>
/// <param name="Field">The offending field (when rejected).</param>
/// <param name="Reason">Why (when rejected).</param>
/// <param name="Certificate">For a ready import confirmation: the certificate it confirms (its call carries the certificate's facts).</param>
public sealed record Verdict(Candidate Item, CheckOutcome Outcome, string? Rule = null, string? Field = null, string? Reason = null, CertificateRecord? Certificate = null);

/// <summary>
/// What the chain would refuse, checked before a batch is built: one or two batched reads per round
/// (through <see cref="IRegistryView"/>). Parents before children: a record whose parcels (or
/// certificate) are still on their way here (pending or submitted) waits; one whose parcels are
/// neither on chain nor on their way is rejected, so a smuggled parcel never waits forever.
/// </summary>
public sealed class RecordChecks(IRegistryView chain, RecordStore store, ParsedRecords parsed, ILogger<RecordChecks> logger)
{
    private ParticipantCode? _memberParticipant;

    /// <summary>
    /// Decides for each of <paramref name="items"/> (all of <paramref name="kind"/>). Origin parcels are
    /// only checked against the chain when <paramref name="careful"/> (the contract refuses a known hash anyway).
    /// </summary>
    public async Task<IReadOnlyList<Verdict>> CheckAsync(RecordKind kind, IReadOnlyList<Candidate> items, bool careful = true) => kind switch
    {
        RecordKind.Parcel when !careful => await HeldHereAsync([.. items.Select(c => new Verdict(c, CheckOutcome.Ready))]),
        RecordKind.Parcel => await HeldHereAsync(await CheckParcelsAsync(items)),
        RecordKind.Transformation => await HeldHereAsync(await CheckTransformationsAsync(items)),
        RecordKind.Certificate => await CheckCertificatesAsync(items),
        RecordKind.ImportConfirmation => await CheckConfirmationsAsync(items),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// The contract computes a parcel's and a transformation's hash from its registrant's
    /// participant: a document that names another participant would be anchored under another
    /// hash (and the wrong country), so it is refused here.
    /// </summary>
    private async Task<List<Verdict>> HeldHereAsync(List<Verdict> verdicts)
    {
        // asked again every round until the account is a member: an authority may add it while the service runs
        if (_memberParticipant is null)
        {
            _memberParticipant = (await chain.MemberOfAsync(chain.Account)).Participant;
            if (_memberParticipant is null) Log.NotAMember(logger, chain.Account);
        }
        var here = _memberParticipant;
        var participantOf = (KpRecord r) => r switch { ParcelRecord p => p.Participant, TransformationRecord t => t.Participant, _ => (ParticipantCode?)null };
        return [.. verdicts.Select(v => v.Outcome != CheckOutcome.OnChain && participantOf(v.Item.Record) is { } named && named != here
            ? here is null
                ? Refuse(v.Item, "NotAMember", "participant", $"the service account {chain.Account} is not a member of {named} (nor of any participant): "
                    + "once an authority of it has added the account (kp member add), drop the file again")
                : Refuse(v.Item, "participant", "participant", $"this service registers parcels and transformations for {here.Value}; the document's participant is {named}")
            : v)];
    }

    private async Task<List<Verdict>> CheckParcelsAsync(IReadOnlyList<Candidate> items)
    {
        var states = await chain.ParcelsAsync([.. items.Select(i => i.Hash)]);
        return [.. items.Zip(states, (i, s) => new Verdict(i, s.Exists ? CheckOutcome.OnChain : CheckOutcome.Ready))];
    }

    private async Task<List<Verdict>> CheckTransformationsAsync(IReadOnlyList<Candidate> items)
    {
        var (participant, active) = await chain.MemberOfAsync(chain.Account);
        var inputs = items.SelectMany(i => ((TransformationRecord)i.Record).Inputs).Distinct().ToList();
        var states = (await chain.ParcelsAsync(inputs)).ToDictionary(s => s.Hash);
        var registered = await chain.TransformationsAsync([.. items.Select(i => i.Hash)]);
        var waiting = await WaitingParcelsAsync(inputs.Where(h => !states[h].Exists));
        var consumedHere = new HashSet<Hash32>();
        var verdicts = new List<Verdict>();
        foreach (var item in items)
        {
            var t = (TransformationRecord)item.Record;
            if (registered.Contains(item.Hash)) { verdicts.Add(new(item, CheckOutcome.OnChain)); continue; }
            if (!active) { verdicts.Add(Refuse(item, "NotAMember", "document", $"the service account {chain.Account} is not an active member: it cannot record transformations")); continue; }
            Verdict? verdict = null;
            for (var k = 0; k < t.Inputs.Length && verdict is null; k++)
            {
                var s = states[t.Inputs[k]];
                if (!s.Exists)
                {
                    verdict = waiting.Contains(t.Inputs[k]) ? new(item, CheckOutcome.Defer)
                        : Refuse(item, "UnknownParcel", $"inputs[{k}]", $"parcel {t.Inputs[k]} is not registered (an unknown parent)");
                }
                else if (s.Status != ParcelStatus.Active) verdict = Refuse(item, "ParcelNotActive", $"inputs[{k}]", $"parcel {t.Inputs[k]} is {s.Status.ToString().ToLowerInvariant()}: it cannot be used again");
                else if (s.Holder != participant) verdict = Refuse(item, "ParcelNotHeld", $"inputs[{k}]", $"parcel {t.Inputs[k]} is held by {s.Holder}, not by {participant}");
            }
            if (verdict is null && t.Inputs.Any(consumedHere.Contains)) verdict = new(item, CheckOutcome.Defer); // another one in this batch uses it first
            verdict ??= new(item, CheckOutcome.Ready);
            if (verdict.Outcome == CheckOutcome.Ready) consumedHere.UnionWith(t.Inputs);
            verdicts.Add(verdict);
        }
        return verdicts;
    }

    private async Task<List<Verdict>> CheckCertificatesAsync(IReadOnlyList<Candidate> items)
    {
        var certs = items.Select(i => (Item: i, Cert: (CertificateRecord)i.Record)).ToList();
        var parcels = certs.SelectMany(c => c.Cert.Parcels).Distinct().ToList();
        var states = (await chain.ParcelsAsync(parcels)).ToDictionary(s => s.Hash);
        var onRecord = new Dictionary<Hash32, CertificateState>();
        foreach (var c in certs) onRecord[c.Cert.NumberHash] = await chain.CertificateAsync(c.Cert.Exporter, c.Cert.NumberHash);
        var now = await chain.BlockTimestampAsync();
        var waiting = await WaitingParcelsAsync(parcels.Where(h => !states[h].Exists));
        var me = chain.Account;
        var lockedHere = new HashSet<Hash32>();
        var verdicts = new List<Verdict>();
        foreach (var (item, cert) in certs)
        {
            var record = onRecord[cert.NumberHash];
            if (record.Exists)
            {
                verdicts.Add(record.Matches(item.Hash) ? new(item, CheckOutcome.OnChain)
                    : Refuse(item, "AlreadyRegistered", "number", $"certificate number {cert.Number} is already on record with other content"));
                continue;
            }
            Verdict? verdict = null;
            if (cert.Authorization is { } a && a.Deadline < now) verdict = Refuse(item, "SignatureExpired", "authorization.deadline", $"the authority's signature expired at {a.Deadline}");
            if (verdict is null && cert.Authorization is null && !await chain.IsAuthorityAsync(cert.Exporter, me))
            {
                verdict = Refuse(item, "authorization", "authorization", $"an unsigned certificate can only be issued by an authority of {cert.Exporter}; the service account {me} is not one: sign it with kp cert issue --sign-only");
            }
            for (var k = 0; k < cert.Parcels.Length && verdict is null; k++)
            {
                var s = states[cert.Parcels[k]];
                if (!s.Exists)
                {
                    verdict = waiting.Contains(cert.Parcels[k]) ? new(item, CheckOutcome.Defer)
                        : Refuse(item, "UnknownParcel", $"parcels[{k}]", $"parcel {cert.Parcels[k]} is not registered: an uncertified parcel cannot be shipped");
                }
                else if (s.Status != ParcelStatus.Active) verdict = Refuse(item, "ParcelNotActive", $"parcels[{k}]", $"parcel {cert.Parcels[k]} is {s.Status.ToString().ToLowerInvariant()}");
                else if (s.Holder != cert.Exporter) verdict = Refuse(item, "ParcelNotHeld", $"parcels[{k}]", $"parcel {cert.Parcels[k]} is held by {s.Holder}, not by the exporter {cert.Exporter}");
            }
            if (verdict is null && cert.Parcels.Any(lockedHere.Contains)) verdict = new(item, CheckOutcome.Defer);
            verdict ??= new(item, CheckOutcome.Ready);
            if (verdict.Outcome == CheckOutcome.Ready) lockedHere.UnionWith(cert.Parcels);
            verdicts.Add(verdict);
        }
        return verdicts;
    }

    private async Task<List<Verdict>> CheckConfirmationsAsync(IReadOnlyList<Candidate> items)
    {
        var verdicts = new List<Verdict>();
        var now = await chain.BlockTimestampAsync();
        foreach (var item in items)
        {
            var conf = (ImportConfirmationRecord)item.Record;
            var numberHash = Keccak.Hash(conf.CertificateNumber);
            if (await chain.ConfirmationOfAsync(conf.Exporter, numberHash) is { } recorded)
            {
                verdicts.Add(recorded == item.Hash ? new(item, CheckOutcome.OnChain) : AlreadyConfirmed(item, conf));
                continue;
            }
            var cert = CertificateOf(conf);
            if (cert is null)
            {
                // confirmed too: its batch may have been confirmed (in the background) since the lookup above
                var inFlight = store.Certificate(conf.Exporter, conf.CertificateNumber, RecordStage.Pending, RecordStage.Submitted, RecordStage.Confirmed) is not null;
                verdicts.Add(inFlight ? new(item, CheckOutcome.Defer)
                    : Refuse(item, "unknown-certificate", "certificateNumber", $"certificate {conf.CertificateNumber} was not anchored through this service: submit it first"));
                continue;
            }
            if (conf.Carats != cert.Details.Carats)
            {
                // the registry does not compare weights: a confirmation of another weight than the certificate's is refused here
                verdicts.Add(Refuse(item, "carats", "carats",
                    $"the confirmation states {conf.Carats / 100m:0.00} ct but certificate {cert.Number} certifies {cert.Details.Carats / 100m:0.00} ct: an import is confirmed for the certified weight"));
                continue;
            }
            var state = await chain.CertificateAsync(conf.Exporter, numberHash);
            if (state.Status == CertificateStatus.Confirmed && await chain.ConfirmationOfAsync(conf.Exporter, numberHash) is { } since)
            {
                // confirmed between the two reads (the chain moves on while a round checks): by this confirmation's own transaction
                // (sent before a crash) it is anchored; by another, refused as above
                verdicts.Add(since == item.Hash ? new(item, CheckOutcome.OnChain) : AlreadyConfirmed(item, conf));
                continue;
            }
            verdicts.Add(state.Status != CertificateStatus.Issued ? Refuse(item, "CertificateNotIssued", "certificateNumber", $"certificate {conf.CertificateNumber} is {state.Status.ToString().ToLowerInvariant()}")
                : now > state.ExpiresAt ? Refuse(item, "CertificateExpired", "certificateNumber", $"certificate {conf.CertificateNumber} expired at {state.ExpiresAt}: an import cannot be confirmed after expiry")
                : new(item, CheckOutcome.Ready, Certificate: cert));
        }
        return verdicts;
    }

    /// <summary>The anchored (confirmed) certificate a confirmation confirms: found by exporter and number, one indexed lookup.</summary>
    private CertificateRecord? CertificateOf(ImportConfirmationRecord confirmation) =>
        store.Certificate(confirmation.Exporter, confirmation.CertificateNumber, RecordStage.Confirmed) is { } stored ? parsed.Of(stored) as CertificateRecord : null;

    /// <summary>
    /// Of <paramref name="parcels"/> (not on chain when it was read), those to wait for: a pending or submitted parcel record, an
    /// output of a pending or submitted transformation, or one the chain has now. The last closes a race: a batch is confirmed
    /// in the background (its receipt read while this round checks), so a parent whose batch was confirmed after the chain was
    /// read is neither on chain in that read nor in flight in the store; read again, the chain has it, and its child waits a
    /// round instead of being refused as the child of an unknown parent. Only parents that would be refused are read again.
    /// </summary>
    private async Task<HashSet<Hash32>> WaitingParcelsAsync(IEnumerable<Hash32> parcels)
    {
        var wanted = parcels.ToHashSet();
        if (wanted.Count == 0) return [];
        var found = store.InFlight(wanted).ToHashSet();
        if (found.Count == wanted.Count) return found;
        foreach (var s in store.WithStatus(RecordStage.Pending, int.MaxValue, RecordKind.Transformation, withDocument: false)
            .Concat(store.WithStatus(RecordStage.Submitted, int.MaxValue, RecordKind.Transformation, withDocument: false)))
        {
            if (parsed.Of(s) is TransformationRecord t) found.UnionWith(t.Outputs.Where(wanted.Contains));
        }
        var unknown = wanted.Except(found).ToList();
        if (unknown.Count > 0) found.UnionWith((await chain.ParcelsAsync(unknown)).Where(s => s.Exists).Select(s => s.Hash));
        return found;
    }

    private static Verdict AlreadyConfirmed(Candidate item, ImportConfirmationRecord conf) =>
        Refuse(item, "CertificateNotIssued", "certificateNumber", $"the import of {conf.CertificateNumber} was already confirmed with another confirmation");

    private static Verdict Refuse(Candidate item, string rule, string field, string reason) => new(item, CheckOutcome.Reject, rule, field, reason);
}
