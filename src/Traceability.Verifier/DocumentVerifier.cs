using Newtonsoft.Json.Linq;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Chain.Signing;
using Traceability.Core.Hashing;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Core.Validation;

namespace Traceability.Verifier;

/// <summary>
/// Verifies KP documents against the registry: the importer's tool. Read-only, no key. Every
/// check is named in the report; the verdict is the worst failed check's (see <see cref="Precedence"/>).
/// </summary>
public sealed class DocumentVerifier(RegistryReader reader, Eip712Domain domain, ulong fromBlock = 0)
{
    /// <summary>Verdicts from most to least serious: the first failed one wins.</summary>
    public static readonly IReadOnlyList<Verdict> Precedence =
        [Verdict.Unauthorized, Verdict.NotFound, Verdict.Tampered, Verdict.Voided, Verdict.Flagged, Verdict.BrokenLineage, Verdict.Expired];

    /// <summary>Verifies <paramref name="document"/>, with optional ancestor documents (parcels, transformations).</summary>
    /// <param name="document">A certificate, parcel, transformation or import confirmation.</param>
    /// <param name="ancestors">Documents of ancestor parcels and transformations, to check carats and claimed parents.</param>
    /// <param name="now">Unix seconds to judge expiry by (default: the latest block's time).</param>
    public async Task<VerificationReport> VerifyAsync(KpRecord document, IEnumerable<KpRecord>? ancestors = null, ulong? now = null)
    {
        var start = reader.Rpc.RoundTrips;
        var given = new Ancestors(ancestors ?? []);
        var checks = new List<Check>();
        var rules = KpRules.Check(document);
        checks.Add(rules.Count == 0
            ? new("document.kp-rules", CheckStatus.Pass, "the document satisfies the KP rules")
            : new("document.kp-rules", CheckStatus.Fail, string.Join("; ", rules.Take(3)) + (rules.Count > 3 ? $" (+{rules.Count - 3} more)" : ""), Verdict.Tampered));

        var (title, lineage, origins) = document switch
        {
            CertificateRecord c => await CertificateAsync(c, given, now, checks).ConfigureAwait(false),
            ImportConfirmationRecord i => await ConfirmationAsync(i, checks).ConfigureAwait(false),
            TransformationRecord t => await TransformationAsync(t, given, checks).ConfigureAwait(false),
            ParcelRecord p => await ParcelAsync(p, given, checks).ConfigureAwait(false),
            _ => throw new ArgumentException($"cannot verify a {document.GetType().Name}", nameof(document)),
        };
        var verdict = Precedence.FirstOrDefault(v => checks.Any(c => c.Status == CheckStatus.Fail && c.FailVerdict == v), Verdict.Verified);
        return new VerificationReport(document.Kind, document.Hash(), title, verdict, checks, lineage, origins, reader.Rpc.RoundTrips - start);
    }

    private async Task<(string, IReadOnlyList<LineageNode>, IReadOnlyList<ParticipantCode>)> CertificateAsync(
        CertificateRecord c, Ancestors given, ulong? now, List<Check> checks)
    {
        var title = $"certificate {c.Number}";
        var signer = CertificateSigner.RecoverSigner(c, domain);
        var calls = new List<RpcCall>
        {
            reader.Call(new CertificateFunction { NumberHash = c.NumberHash.ToArray() }),
            reader.LogsCall<CertificateIssuedEvent>([c.NumberHash], fromBlock),
            new("eth_getBlockByNumber", "latest", false),
        };
        calls.AddRange(LineageWalker.RootCalls(reader, c.Parcels, fromBlock));
        if (signer is not null) calls.Add(reader.Call(new IsAuthorityFunction { Participant = c.Exporter.ToBytes(), Account = signer }));
        var r = await reader.Rpc.BatchAsync(calls).ConfigureAwait(false);

        var state = AbiValues.ToState(c.NumberHash, RegistryReader.Decode<CertificateOutput>((string)LineageWalker.Value(r[0])!).Certificate);
        var issued = RegistryReader.DecodeLogs<CertificateIssuedEvent>(LineageWalker.Value(r[1])).FirstOrDefault();
        var chainNow = now ?? (ulong)ChainRpc.Quantity(((JObject)LineageWalker.Value(r[2]))["timestamp"]!);

        if (c.Authorization is { } auth)
        {
            var isAuthority = signer is not null && (bool)RegistryReader.Decode<BoolOutput>((string)LineageWalker.Value(r[5])!).Value;
            if (signer is not null && !isAuthority && issued is not null)
            {
                // an authority since removed: judge by the block the certificate was issued in
                isAuthority = await reader.IsAuthorityAsync(c.Exporter, signer, ChainRpc.Hex(issued.BlockNumber)).ConfigureAwait(false);
            }
            var sameSigner = signer is not null && string.Equals(signer, auth.Authority, StringComparison.OrdinalIgnoreCase);
            checks.Add(sameSigner && isAuthority
                ? new("certificate.signed-by-authority", CheckStatus.Pass, $"signed by {signer}, an authority of {c.Exporter}", Verdict.Unauthorized)
                : new("certificate.signed-by-authority", CheckStatus.Fail, signer is null
                    ? "the signature is malformed"
                    : !sameSigner ? $"the signature is {signer}'s, not the named authority {auth.Authority}'s"
                    : $"signed by {signer}, who is not an authority of {c.Exporter}", Verdict.Unauthorized));
        }

        if (!state.Exists)
        {
            checks.Add(new("certificate.registered", CheckStatus.Fail, $"no certificate numbered {c.Number} was ever issued on this registry", Verdict.NotFound));
            return (title, [], []);
        }
        checks.Add(new("certificate.registered", CheckStatus.Pass, $"{c.Number} was issued {state.Exporter} -> {state.Importer}", Verdict.NotFound));
        var matches = issued is not null ? Hash32.FromBytes(issued.Event.CertificateHash) == c.Hash() : state.Matches(c.Hash());
        checks.Add(matches
            ? new("certificate.content", CheckStatus.Pass, "the document is exactly the certificate anchored (EIP-712 hash)", Verdict.Tampered)
            : new("certificate.content", CheckStatus.Fail, "the number is on record but the document's content differs from what was anchored", Verdict.Tampered));
        if (issued is not null)
        {
            checks.Add(new("certificate.issuer", CheckStatus.Pass,
                $"issued by authority {issued.Event.Authority} in block {issued.BlockNumber}" +
                (string.Equals(issued.Event.Authority, issued.Event.Relayer, StringComparison.OrdinalIgnoreCase) ? "" : $", relayed by {issued.Event.Relayer}")));
        }
        checks.Add(state.Status == CertificateStatus.Voided
            ? new("certificate.not-voided", CheckStatus.Fail, "the exporting authority voided it", Verdict.Voided)
            : new("certificate.not-voided", CheckStatus.Pass, $"status {state.Status}", Verdict.Voided));
        checks.Add(state.Status == CertificateStatus.Issued && chainNow > state.ExpiresAt
            ? new("certificate.not-expired", CheckStatus.Fail, $"expired at {Time(state.ExpiresAt)} before its import was confirmed", Verdict.Expired)
            : new("certificate.not-expired", CheckStatus.Pass, state.Status == CertificateStatus.Confirmed
                ? "import confirmed before expiry" : $"valid until {Time(state.ExpiresAt)}", Verdict.Expired));
        checks.Add(state.Flag != RecordFlag.None
            ? new("certificate.unflagged", CheckStatus.Fail, $"governance flagged it {state.Flag}", Verdict.Flagged)
            : new("certificate.unflagged", CheckStatus.Pass, "not flagged", Verdict.Flagged));

        var walker = new LineageWalker(reader, fromBlock, given);
        var lineage = await walker.WalkAsync(c.Parcels, LineageWalker.Value(r[3]), LineageWalker.Value(r[4])).ConfigureAwait(false);
        checks.AddRange(walker.Checks);
        var origins = walker.OriginParticipants;
        var declared = c.Details.Origins.ToHashSet();
        var addsUp = origins.Count > 0 && declared.SetEquals(origins);
        checks.Add(addsUp
            ? new("lineage.origins", CheckStatus.Pass, $"origins on chain {string.Join(", ", origins)} are the declared {string.Join(", ", declared)}")
            : new("lineage.origins", origins.Count == 0 ? CheckStatus.Unknown : CheckStatus.Fail,
                $"the chain traces the parcels to {string.Join(", ", origins.DefaultIfEmpty())}; the certificate declares {string.Join(", ", declared)}"));
        if (given.Parcels.Count > 0 && c.Parcels.All(given.Parcels.ContainsKey))
        {
            var sum = c.Parcels.Sum(p => (decimal)given.Parcels[p].Carats);
            checks.Add(sum == c.Details.Carats
                ? new("certificate.carats", CheckStatus.Pass, $"the parcels weigh {sum / 100:0.00} ct, as certified")
                : new("certificate.carats", CheckStatus.Fail, $"the parcels weigh {sum / 100:0.00} ct; the certificate says {c.Details.Carats / 100m:0.00} ct"));
        }
        return (title, lineage, origins);
    }

    private async Task<(string, IReadOnlyList<LineageNode>, IReadOnlyList<ParticipantCode>)> ConfirmationAsync(ImportConfirmationRecord i, List<Check> checks)
    {
        var title = $"import confirmation of {i.CertificateNumber}";
        var numberHash = Keccak.Hash(i.CertificateNumber);
        var r = await reader.Rpc.BatchAsync(
        [
            reader.Call(new CertificateFunction { NumberHash = numberHash.ToArray() }),
            reader.Call(new ConfirmationOfFunction { NumberHash = numberHash.ToArray() }),
        ]).ConfigureAwait(false);
        var state = AbiValues.ToState(numberHash, RegistryReader.Decode<CertificateOutput>((string)LineageWalker.Value(r[0])!).Certificate);
        var recorded = Hash32.FromBytes(RegistryReader.Decode<Bytes32Output>((string)LineageWalker.Value(r[1])!).Value);
        if (state.Status != CertificateStatus.Confirmed)
        {
            checks.Add(new("confirmation.registered", CheckStatus.Fail, state.Exists
                ? $"certificate {i.CertificateNumber} is {state.Status}, not confirmed" : $"no certificate numbered {i.CertificateNumber} exists", Verdict.NotFound));
            return (title, [], []);
        }
        checks.Add(new("confirmation.registered", CheckStatus.Pass, $"the import of {i.CertificateNumber} was confirmed", Verdict.NotFound));
        checks.Add(recorded == i.Hash()
            ? new("confirmation.content", CheckStatus.Pass, "the document is exactly the confirmation anchored", Verdict.Tampered)
            : new("confirmation.content", CheckStatus.Fail, "a confirmation is on record but this document's content differs", Verdict.Tampered));
        checks.Add(state.ParcelCount == i.ParcelCount && state.Importer == i.Importer && state.Exporter == i.Exporter
            ? new("confirmation.matches-certificate", CheckStatus.Pass, "parties and parcel count match the certificate", Verdict.Tampered)
            : new("confirmation.matches-certificate", CheckStatus.Fail, "parties or parcel count differ from the certificate", Verdict.Tampered));
        return (title, [], []);
    }

    private async Task<(string, IReadOnlyList<LineageNode>, IReadOnlyList<ParticipantCode>)> TransformationAsync(
        TransformationRecord t, Ancestors given, List<Check> checks)
    {
        var title = $"transformation {t.TransformationId}";
        var state = await reader.TransformationAsync(t.Hash()).ConfigureAwait(false);
        if (!state.Exists)
        {
            checks.Add(new("transformation.registered", CheckStatus.Fail, "this transformation was never recorded", Verdict.NotFound));
            return (title, [], []);
        }
        checks.Add(new("transformation.registered", CheckStatus.Pass, $"recorded in {state.Participant}", Verdict.NotFound));
        given.Transformations[t.Hash()] = t;
        var r = await reader.Rpc.BatchAsync([.. LineageWalker.RootCalls(reader, t.Outputs, fromBlock)]).ConfigureAwait(false);
        var walker = new LineageWalker(reader, fromBlock, given);
        var lineage = await walker.WalkAsync(t.Outputs, LineageWalker.Value(r[0]), LineageWalker.Value(r[1])).ConfigureAwait(false);
        checks.AddRange(walker.Checks);
        return (title, lineage, walker.OriginParticipants);
    }

    private async Task<(string, IReadOnlyList<LineageNode>, IReadOnlyList<ParticipantCode>)> ParcelAsync(ParcelRecord p, Ancestors given, List<Check> checks)
    {
        var title = $"parcel {p.ParcelId}";
        var hash = p.Hash();
        given.Parcels[hash] = p;
        var r = await reader.Rpc.BatchAsync([.. LineageWalker.RootCalls(reader, [hash], fromBlock)]).ConfigureAwait(false);
        var state = RegistryReader.DecodeParcels([hash], (string)LineageWalker.Value(r[0])!)[0];
        if (!state.Exists)
        {
            checks.Add(new("parcel.registered", CheckStatus.Fail, "no parcel with this document's hash was ever registered", Verdict.NotFound));
            return (title, [], []);
        }
        checks.Add(new("parcel.registered", CheckStatus.Pass, $"registered; now {state.Status} in {state.Holder}", Verdict.NotFound));
        var walker = new LineageWalker(reader, fromBlock, given);
        var lineage = await walker.WalkAsync([hash], LineageWalker.Value(r[0]), LineageWalker.Value(r[1])).ConfigureAwait(false);
        checks.AddRange(walker.Checks);
        return (title, lineage, walker.OriginParticipants);
    }

    private static string Time(ulong seconds) =>
        DateTimeOffset.FromUnixTimeSeconds((long)seconds).ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
