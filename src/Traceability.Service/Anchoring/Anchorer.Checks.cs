using Traceability.Chain.Registry;
using Traceability.Core.Json;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Service.Store;

namespace Traceability.Service.Anchoring;

// What the chain would refuse, checked before a batch is built: one or two batched reads per
// round. A record whose parents are still on their way (pending or submitted here) waits.
public sealed partial class Anchorer
{
    private async Task<List<Verdict>> CheckParcelsAsync(List<Candidate> items)
    {
        var states = await chain.Reader.ParcelsAsync([.. items.Select(i => i.Hash)]);
        return [.. items.Zip(states, (i, s) => s.Exists ? new Verdict(i, "onchain") : new Verdict(i, "ready"))];
    }

    private async Task<List<Verdict>> CheckTransformationsAsync(List<Candidate> items)
    {
        var (participant, active, _) = await chain.Reader.MemberOfAsync(chain.Writer.Sender.Account.Address);
        var inputs = items.SelectMany(i => ((TransformationRecord)i.Record).Inputs).Distinct().ToList();
        var states = (await chain.Reader.ParcelsAsync(inputs)).ToDictionary(s => s.Hash);
        var registered = await TransformationsExistAsync(items.Select(i => i.Hash).ToList());
        var waiting = InFlightParcels(inputs.Where(h => !states[h].Exists));
        var consumedHere = new HashSet<Hash32>();
        var verdicts = new List<Verdict>();
        foreach (var item in items)
        {
            var t = (TransformationRecord)item.Record;
            if (registered.Contains(item.Hash)) { verdicts.Add(new(item, "onchain")); continue; }
            if (!active) { verdicts.Add(Refuse(item, "NotAMember", "document", $"the service account {chain.Writer.Sender.Account.Address} is not an active member: it cannot record transformations")); continue; }
            Verdict? verdict = null;
            for (var k = 0; k < t.Inputs.Length && verdict is null; k++)
            {
                var s = states[t.Inputs[k]];
                if (!s.Exists)
                {
                    verdict = waiting.Contains(t.Inputs[k]) ? new(item, "defer")
                        : Refuse(item, "UnknownParcel", $"inputs[{k}]", $"parcel {t.Inputs[k]} is not registered (an unknown parent)");
                }
                else if (s.Status != ParcelStatus.Active) verdict = Refuse(item, "ParcelNotActive", $"inputs[{k}]", $"parcel {t.Inputs[k]} is {s.Status.ToString().ToLowerInvariant()}: it cannot be used again");
                else if (s.Holder != participant) verdict = Refuse(item, "ParcelNotHeld", $"inputs[{k}]", $"parcel {t.Inputs[k]} is held by {s.Holder}, not by {participant}");
            }
            if (verdict is null && t.Inputs.Any(consumedHere.Contains)) verdict = new(item, "defer"); // another one in this batch uses it first
            verdict ??= new(item, "ready");
            if (verdict.Outcome == "ready") consumedHere.UnionWith(t.Inputs);
            verdicts.Add(verdict);
        }
        return verdicts;
    }

    private async Task<List<Verdict>> CheckCertificatesAsync(List<Candidate> items)
    {
        var certs = items.Select(i => (Item: i, Cert: (CertificateRecord)i.Record)).ToList();
        var parcels = certs.SelectMany(c => c.Cert.Parcels).Distinct().ToList();
        var states = (await chain.Reader.ParcelsAsync(parcels)).ToDictionary(s => s.Hash);
        var onRecord = new Dictionary<Hash32, CertificateState>();
        foreach (var c in certs) onRecord[c.Cert.NumberHash] = await chain.Reader.CertificateAsync(c.Cert.Exporter, c.Cert.NumberHash);
        var now = await chain.Reader.BlockTimestampAsync();
        var waiting = InFlightParcels(parcels.Where(h => !states[h].Exists));
        var me = chain.Writer.Sender.Account.Address;
        var lockedHere = new HashSet<Hash32>();
        var verdicts = new List<Verdict>();
        foreach (var (item, cert) in certs)
        {
            var record = onRecord[cert.NumberHash];
            if (record.Exists)
            {
                verdicts.Add(record.Matches(item.Hash) ? new(item, "onchain")
                    : Refuse(item, "AlreadyRegistered", "number", $"certificate number {cert.Number} is already on record with other content"));
                continue;
            }
            Verdict? verdict = null;
            if (cert.Authorization is { } a && a.Deadline < now) verdict = Refuse(item, "SignatureExpired", "authorization.deadline", $"the authority's signature expired at {a.Deadline}");
            if (verdict is null && cert.Authorization is null && !await chain.Reader.IsAuthorityAsync(cert.Exporter, me))
            {
                verdict = Refuse(item, "authorization", "authorization", $"an unsigned certificate can only be issued by an authority of {cert.Exporter}; the service account {me} is not one: sign it with kp cert issue --sign-only");
            }
            for (var k = 0; k < cert.Parcels.Length && verdict is null; k++)
            {
                var s = states[cert.Parcels[k]];
                if (!s.Exists)
                {
                    verdict = waiting.Contains(cert.Parcels[k]) ? new(item, "defer")
                        : Refuse(item, "UnknownParcel", $"parcels[{k}]", $"parcel {cert.Parcels[k]} is not registered: an uncertified parcel cannot be shipped");
                }
                else if (s.Status != ParcelStatus.Active) verdict = Refuse(item, "ParcelNotActive", $"parcels[{k}]", $"parcel {cert.Parcels[k]} is {s.Status.ToString().ToLowerInvariant()}");
                else if (s.Holder != cert.Exporter) verdict = Refuse(item, "ParcelNotHeld", $"parcels[{k}]", $"parcel {cert.Parcels[k]} is held by {s.Holder}, not by the exporter {cert.Exporter}");
            }
            if (verdict is null && cert.Parcels.Any(lockedHere.Contains)) verdict = new(item, "defer");
            verdict ??= new(item, "ready");
            if (verdict.Outcome == "ready") lockedHere.UnionWith(cert.Parcels);
            verdicts.Add(verdict);
        }
        return verdicts;
    }

    private async Task<List<Verdict>> CheckConfirmationsAsync(List<Candidate> items)
    {
        var verdicts = new List<Verdict>();
        var now = await chain.Reader.BlockTimestampAsync();
        foreach (var item in items)
        {
            var conf = (ImportConfirmationRecord)item.Record;
            var numberHash = Keccak.Hash(conf.CertificateNumber);
            if (await chain.Reader.ConfirmationOfAsync(conf.Exporter, numberHash) is { } recorded)
            {
                verdicts.Add(recorded == item.Hash ? new(item, "onchain")
                    : Refuse(item, "CertificateNotIssued", "certificateNumber", $"the import of {conf.CertificateNumber} was already confirmed with another confirmation"));
                continue;
            }
            var cert = CertificateOf(conf);
            if (cert is null)
            {
                var inFlight = store.WithStatus(RecordStatus.Pending, int.MaxValue, "certificate").Concat(store.WithStatus(RecordStatus.Submitted, int.MaxValue, "certificate"))
                    .Any(s => RecordJson.Parse(s.Document) is CertificateRecord c && c.Number == conf.CertificateNumber && c.Exporter == conf.Exporter);
                verdicts.Add(inFlight ? new(item, "defer")
                    : Refuse(item, "unknown-certificate", "certificateNumber", $"certificate {conf.CertificateNumber} was not anchored through this service: submit it first"));
                continue;
            }
            var state = await chain.Reader.CertificateAsync(conf.Exporter, numberHash);
            verdicts.Add(state.Status != CertificateStatus.Issued ? Refuse(item, "CertificateNotIssued", "certificateNumber", $"certificate {conf.CertificateNumber} is {state.Status.ToString().ToLowerInvariant()}")
                : now > state.ExpiresAt ? Refuse(item, "CertificateExpired", "certificateNumber", $"certificate {conf.CertificateNumber} expired at {state.ExpiresAt}: an import cannot be confirmed after expiry")
                : new(item, "ready"));
        }
        return verdicts;
    }

    private async Task<HashSet<Hash32>> TransformationsExistAsync(IReadOnlyList<Hash32> hashes)
    {
        var results = await chain.Rpc.BatchAsync([.. hashes.Select(h => chain.Reader.Call(new TransformationFunction { Hash = h.ToArray() }))]);
        var found = new HashSet<Hash32>();
        for (var i = 0; i < hashes.Count; i++)
        {
            if (results[i].Error is { } e) throw e;
            if (RegistryReader.Decode<TransformationOutput>((string)results[i].Result!).Transformation.Registrant != 0) found.Add(hashes[i]);
        }
        return found;
    }

    /// <summary>Of <paramref name="parcels"/>, those on their way: a pending or submitted parcel record, or an output of a pending or submitted transformation.</summary>
    private HashSet<Hash32> InFlightParcels(IEnumerable<Hash32> parcels)
    {
        var wanted = parcels.ToHashSet();
        if (wanted.Count == 0) return [];
        var found = store.InFlight(wanted.Select(h => h.ToString())).Select(Hash32.Parse).ToHashSet();
        if (found.Count == wanted.Count) return found;
        foreach (var s in store.WithStatus(RecordStatus.Pending, int.MaxValue, "transformation").Concat(store.WithStatus(RecordStatus.Submitted, int.MaxValue, "transformation")))
        {
            if (RecordJson.Parse(s.Document) is TransformationRecord t) found.UnionWith(t.Outputs.Where(wanted.Contains));
        }
        return found;
    }

    private static Verdict Refuse(Candidate item, string rule, string field, string reason) => new(item, "reject", rule, field, reason);
}
