using System.Globalization;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Chain.Signing;
using Traceability.Core.Hashing;
using Traceability.Core.Participants;
using Traceability.Core.Policies;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Core.Validation;
using Traceability.Verifier.Policy;

namespace Traceability.Verifier;

/// <summary>
/// Verifies KP documents against the registry: the importer's tool. Read-only, no key. The chain's
/// record is the ground truth: every check is named in the report, and the verdict is that of the
/// first failed check in <see cref="Precedence"/>; a check that matters and comes out unknown gives
/// at best <see cref="Verdict.Inconclusive"/>. Every read of one verification is pinned to one block.
/// </summary>
public sealed class DocumentVerifier(RegistryReader reader, Eip712Domain domain, ulong fromBlock = 0)
{
    /// <summary>The index, if given and it holds exactly the blocks <paramref name="run"/> reads (pinned to its block, from the same first block).</summary>
    private VerificationIndex? IndexFor(Run run) =>
        Index is { } index && run.Point is { } point && index.Covers(fromBlock, point.BlockNumber, point.BlockHash) ? index : null;

    /// <summary>Where the first batch reads its events: from the node with it, unless an index is given (then they are read once the block is known).</summary>
    private EventReads? FirstEvents => Index is null ? new EventReads(fromBlock, null) : null;

    /// <summary>
    /// Where a pinned verification reads its events. Those of the first batch (<paramref name="read"/>) came with it when no
    /// index is given; with one, they come from the index if it holds the block, else from the node in one more round trip.
    /// </summary>
    private async Task<EventReads> PinnedEventsAsync(Run run, EventReads? first, Action<RegistryBatch, EventReads> read)
    {
        if (first is not null) return first;
        // a chain that keeps mining (interval mining) has moved past the index: it reads the new blocks' events first
        if (Index is { } followed && run.Point is { } point && point.BlockNumber > followed.Block.Number)
        {
            await followed.FollowAsync(reader, new BlockHeader(point.BlockNumber, point.BlockHash, point.BlockTime), run.Cancel).ConfigureAwait(false);
        }
        var events = IndexFor(run) is { } index ? new EventReads(fromBlock, index, run.Point!.BlockNumber) : new EventReads(fromBlock, null);
        var batch = reader.Batch(run.Block);
        read(batch, events);
        if (batch.Count > 0) await batch.SendAsync(run.Cancel).ConfigureAwait(false);
        return events;
    }

    /// <summary>Verdicts in the order the chain settles them: the first failed one wins.</summary>
    public static readonly IReadOnlyList<Verdict> Precedence =
    [
        Verdict.OtherDeployment, Verdict.NotFound, Verdict.Tampered, Verdict.Unauthorized, Verdict.Invalid, Verdict.Voided,
        Verdict.Expired, Verdict.Flagged, Verdict.BrokenLineage, Verdict.Restricted,
    ];

    /// <summary>How deep and how wide a lineage walk goes before it reports itself cut (Inconclusive).</summary>
    public LineageBounds Bounds { get; init; } = LineageBounds.Default;

    /// <summary>
    /// The importer's origin policy, applied to the lineage after the chain checks (checks named policy.*):
    /// null applies none. A policy failure gives <see cref="Verdict.Restricted"/>, after every chain verdict.
    /// </summary>
    public OriginPolicy? Policy { get; init; }

    /// <summary>
    /// Every event a verification reads, read once up to one block (null: each verification reads the node's logs, and each
    /// walk the certificates into the participants it meets). Used only by a verification pinned to the index's block (the
    /// chain has not moved since) and reading from the index's first block: the reports are those the node's logs give.
    /// </summary>
    public VerificationIndex? Index { get; init; }

    /// <summary>Verifies <paramref name="document"/>, with optional ancestor documents (parcels, transformations).</summary>
    /// <param name="document">A certificate, parcel, transformation or import confirmation.</param>
    /// <param name="ancestors">Documents of the shipment's parcels and their ancestors, to check carats and claimed parents.</param>
    /// <param name="now">Unix seconds to judge expiry by (default: the time of the block read).</param>
    /// <param name="ct">Cancels the verification.</param>
    public async Task<VerificationReport> VerifyAsync(KpRecord document, IEnumerable<KpRecord>? ancestors = null, ulong? now = null,
        CancellationToken ct = default)
    {
        var start = reader.Rpc.RoundTrips;
        var run = new Run(document, new Ancestors(ancestors ?? []), now, ct);
        CheckDeployment(run);
        CheckRules(run);
        var (title, lineage, origins) = document switch
        {
            CertificateRecord c => await CertificateAsync(c, run).ConfigureAwait(false),
            ImportConfirmationRecord i => await ConfirmationAsync(i, run).ConfigureAwait(false),
            TransformationRecord t => await TransformationAsync(t, run).ConfigureAwait(false),
            ParcelRecord p => await ParcelAsync(p, run).ConfigureAwait(false),
            _ => throw new ArgumentException($"cannot verify a {document.GetType().Name}", nameof(document)),
        };
        ct.ThrowIfCancellationRequested();
        var (outcome, settled) = Screen(run, lineage, origins);
        var checks = run.Checks;
        var verdict = Precedence.FirstOrDefault(v => checks.Any(c => c.Status == CheckStatus.Fail && c.FailVerdict == v), Verdict.Verified);
        if (verdict == Verdict.Verified && checks.Any(c => c.Status == CheckStatus.Unknown && !settled.Contains(c.Name))) verdict = Verdict.Inconclusive;
        var point = run.Point ?? new ChainPoint(domain.ChainId, reader.Address, 0, "", 0);
        return new VerificationReport(document.Kind, document.Hash(), title, verdict, checks, lineage, origins,
            reader.Rpc.RoundTrips - start, point, [.. run.Missing.Distinct()])
        { Policy = outcome };
    }

    /// <summary>Applies <see cref="Policy"/> to the lineage walked; returns what it found and the unknown checks it settles.</summary>
    private (PolicyOutcome?, IReadOnlySet<string>) Screen(Run run, IReadOnlyList<LineageNode> lineage, IReadOnlyList<ParticipantCode> origins)
    {
        if (Policy is not { } policy) return (null, new HashSet<string>());
        if (lineage.Count == 0)
        {
            // a confirmation's goods have a lineage, screened on the certificate it confirms: under a policy it is not Verified on its own
            run.Checks.Add(run.Document is ImportConfirmationRecord
                ? new("policy.lineage", CheckStatus.Unknown,
                    $"policy \"{policy.Name}\": an import confirmation carries no lineage; verify the certificate it confirms under the policy", Verdict.Restricted)
                : new("policy.lineage", CheckStatus.Skipped, $"policy \"{policy.Name}\": no lineage to screen", Verdict.Restricted));
            return (new PolicyOutcome(policy.Name, []), new HashSet<string>());
        }
        ulong? carats = run.Document switch
        {
            CertificateRecord c => c.Details.Carats,
            ParcelRecord p => p.Carats,
            TransformationRecord t when t.Outputs.All(run.Given.Parcels.ContainsKey) => t.Outputs.Aggregate(0UL, (sum, o) => sum + run.Given.Parcels[o].Carats),
            _ => null,
        };
        var screen = new OriginScreen(policy, lineage, carats);
        var outcome = screen.Run();
        run.Checks.AddRange(screen.Checks);
        run.Missing.AddRange(screen.Missing);
        if (!screen.UntracedAccepted) return (outcome, new HashSet<string>());
        // an accepted untraced share settles what the cut leaves open, never an origin traced that the certificate does not declare
        var settled = OriginScreen.TracingChecks.ToHashSet(StringComparer.Ordinal);
        if (run.Document is CertificateRecord certificate && !origins.All(certificate.Details.Origins.Contains)) settled.Remove("lineage.origins");
        return (outcome, settled);
    }

    /// <summary>
    /// A signed document names the deployment its signature was made for: it must be this one. The
    /// claim is believed only if the signature is the named authority's under the claimed domain
    /// (otherwise anyone could relabel a forged or altered document as "another deployment's"); an
    /// unauthenticated claim leaves the verdict to the chain checks, and the signature check fails.
    /// </summary>
    private void CheckDeployment(Run run)
    {
        if (run.Document is not CertificateRecord { Authorization: { } a } c) return;
        var same = a.ChainId == domain.ChainId && string.Equals(a.Registry, domain.VerifyingContract, StringComparison.OrdinalIgnoreCase);
        if (same)
        {
            run.Checks.Add(new("document.deployment", CheckStatus.Pass, $"signed for this deployment (chain {a.ChainId}, registry {a.Registry})", Verdict.OtherDeployment));
            return;
        }
        var signer = IsAddress(a.Registry) ? CertificateSigner.RecoverSigner(c, a.Domain) : null;
        var authentic = signer is not null && string.Equals(signer, a.Authority, StringComparison.OrdinalIgnoreCase);
        run.Checks.Add(authentic
            ? new("document.deployment", CheckStatus.Fail,
                $"made for chain {a.ChainId}, registry {a.Registry}; checked against chain {domain.ChainId}, registry {domain.VerifyingContract}: verify it against the deployment it was made for",
                Verdict.OtherDeployment)
            : new("document.deployment", CheckStatus.Fail,
                $"the document claims chain {a.ChainId}, registry {a.Registry}, but its signature is not {a.Authority}'s for that deployment: the claim is not believed",
                Verdict.Unauthorized));
    }

    private static bool IsAddress(string s) => s.Length == 42 && s.StartsWith("0x", StringComparison.OrdinalIgnoreCase);

    /// <summary>The KP rules on a document the chain knows. A number outside its exporter's series is the issuer's fault (Unauthorized); any other broken rule makes an anchored document Invalid.</summary>
    private static void CheckRules(Run run)
    {
        var errors = KpRules.Check(run.Document);
        if (errors.Count == 0)
        {
            run.Checks.Add(new("document.kp-rules", CheckStatus.Pass, "the document satisfies the KP rules (Annex I)", Verdict.Invalid));
            return;
        }
        var prefix = errors.Where(e => e.Rule == "number-prefix").ToList();
        if (prefix.Count > 0)
        {
            run.Checks.Add(new("certificate.number-owner", CheckStatus.Fail,
                $"{prefix[0].Message}: the number belongs to another participant's series", Verdict.Unauthorized));
        }
        var rest = errors.Except(prefix).ToList();
        if (rest.Count > 0)
        {
            run.Checks.Add(new("document.kp-rules", CheckStatus.Fail,
                "the document breaks the KP rules: " + string.Join("; ", rest.Take(3)) + (rest.Count > 3 ? $" (+{rest.Count - 3} more)" : ""),
                Verdict.Invalid));
        }
    }

    private async Task<(string, IReadOnlyList<LineageNode>, IReadOnlyList<ParticipantCode>)> CertificateAsync(CertificateRecord c, Run run)
    {
        var title = $"certificate {c.Number}";
        var signer = c.Authorization is null ? null : CertificateSigner.RecoverSigner(c, domain);
        var batch = reader.Batch();
        var head = batch.Header();
        var certificate = batch.Call<CertificateFunction, CertificateOutput, CertificateState>(
            RegistryReader.CertificateCall(c.Exporter, c.NumberHash), o => AbiValues.ToState(c.NumberHash, o.Certificate));
        var first = FirstEvents;
        var roots = new LineageWalker.LevelReads(batch, c.Parcels, first);
        Func<IReadOnlyList<RegistryEventLog<CertificateIssuedEvent>>>? issuedLogs = first?.Issued(batch, c.NumberHash);
        var signerIsAuthority = signer is null ? null
            : batch.Call<IsAuthorityFunction, BoolOutput, bool>(new() { Participant = c.Exporter.ToBytes(), Account = signer }, o => o.Value);
        await batch.SendAsync(run.Cancel).ConfigureAwait(false);
        run.Pin(domain, reader.Address, head.Value);
        var events = await PinnedEventsAsync(run, first, (b, e) =>
        {
            issuedLogs = e.Issued(b, c.NumberHash);
            roots.ReadEvents(b, e);
        }).ConfigureAwait(false);

        var state = certificate.Value;
        var logs = issuedLogs!();
        var issued = logs.FirstOrDefault(l => AbiValues.Code(l.Event.Exporter) == c.Exporter);
        if (!state.Exists)
        {
            var others = logs.Select(l => AbiValues.Code(l.Event.Exporter)?.Value).OfType<string>().Distinct().ToList();
            run.Checks.Add(new("certificate.registered", CheckStatus.Fail,
                $"{c.Exporter} never issued a certificate numbered {c.Number} on this registry" +
                (others.Count > 0 ? $" (the same number was registered by {string.Join(", ", others)}, which does not make it {c.Exporter}'s)" : ""),
                Verdict.NotFound));
            return (title, [], []);
        }
        run.Checks.Add(new("certificate.registered", CheckStatus.Pass, $"{c.Number} was issued {state.Exporter} -> {state.Importer}", Verdict.NotFound));
        var matches = issued is not null ? Hash32.FromBytes(issued.Event.CertificateHash) == c.Hash() : state.Matches(c.Hash());
        run.Checks.Add(matches
            ? new("certificate.content", CheckStatus.Pass, "the document is exactly the certificate anchored (EIP-712 hash)", Verdict.Tampered)
            : new("certificate.content", CheckStatus.Fail,
                "the number is on record but the document's content differs from what was anchored (any signature it carries is beside the point)", Verdict.Tampered));

        if (issued is not null)
        {
            run.Checks.Add(new("certificate.issuer", CheckStatus.Pass,
                $"issued by authority {issued.Event.Authority} in block {issued.BlockNumber}" +
                (string.Equals(issued.Event.Authority, issued.Event.Relayer, StringComparison.OrdinalIgnoreCase) ? "" : $", relayed by {issued.Event.Relayer}"),
                Verdict.Unauthorized));
        }
        if (c.Authorization is { } auth)
        {
            var isAuthority = signerIsAuthority?.Value ?? false;
            if (signer is not null && !isAuthority && issued is not null)
            {
                // an authority since removed: judge by the block the certificate was issued in
                isAuthority = await WasAuthorityAsync(c.Exporter, signer, issued.BlockNumber, run.Cancel).ConfigureAwait(false);
            }
            var sameSigner = signer is not null && string.Equals(signer, auth.Authority, StringComparison.OrdinalIgnoreCase);
            run.Checks.Add(sameSigner && isAuthority
                ? new("certificate.signed-by-authority", CheckStatus.Pass, $"signed by {signer}, an authority of {c.Exporter}", Verdict.Unauthorized)
                : new("certificate.signed-by-authority", CheckStatus.Fail, signer is null
                    ? "the signature is malformed"
                    : !sameSigner ? $"the signature is {signer}'s, not the named authority {auth.Authority}'s"
                    : $"signed by {signer}, who is not an authority of {c.Exporter}", Verdict.Unauthorized));
        }

        run.Checks.Add(state.Status == CertificateStatus.Voided
            ? new("certificate.not-voided", CheckStatus.Fail, "the exporting authority voided it", Verdict.Voided)
            : new("certificate.not-voided", CheckStatus.Pass, $"status {state.Status}", Verdict.Voided));
        var chainNow = run.Now ?? run.Point!.BlockTime;
        run.Checks.Add(state.Status == CertificateStatus.Issued && chainNow > state.ExpiresAt
            ? new("certificate.not-expired", CheckStatus.Fail, $"expired at {Time(state.ExpiresAt)} before its import was confirmed", Verdict.Expired)
            : new("certificate.not-expired", CheckStatus.Pass, state.Status == CertificateStatus.Confirmed
                ? "import confirmed before expiry" : $"valid until {Time(state.ExpiresAt)}", Verdict.Expired));
        run.Checks.Add(state.Flag != RecordFlag.None
            ? new("certificate.unflagged", CheckStatus.Fail, $"governance flagged it {state.Flag}", Verdict.Flagged)
            : new("certificate.unflagged", CheckStatus.Pass, "not flagged", Verdict.Flagged));

        var walker = new LineageWalker(reader, fromBlock, run.Block, run.Given, Bounds, run.Cancel, events);
        var lineage = await walker.WalkAsync(c.Parcels, roots).ConfigureAwait(false);
        run.Absorb(walker);
        var origins = walker.OriginParticipants;
        var declared = c.Details.Origins.ToHashSet();
        var addsUp = declared.SetEquals(origins);
        run.Checks.Add(!walker.OriginsComplete
            ? new("lineage.origins", CheckStatus.Unknown,
                $"the origins could not all be traced (found so far: {string.Join(", ", origins.DefaultIfEmpty())}); the certificate declares {string.Join(", ", declared)}")
            : addsUp
                ? new("lineage.origins", CheckStatus.Pass, $"origins on chain {string.Join(", ", origins)} are the declared {string.Join(", ", declared)}")
                : new("lineage.origins", CheckStatus.Fail,
                    $"the chain traces the parcels to {string.Join(", ", origins.DefaultIfEmpty())}; the certificate declares {string.Join(", ", declared)}"));
        CheckCertificateCarats(c, run);
        return (title, lineage, origins);
    }

    /// <summary>
    /// Whether <paramref name="account"/> was an authority of <paramref name="participant"/> at the end of <paramref name="block"/>: the
    /// registry's state then, or, from a node that no longer keeps that block's state (a pruned node: Anvil with --prune-history,
    /// Besu's Bonsai storage), the last AuthorityAdded or AuthorityRemoved event of the pair up to that block (the only writes of
    /// an account's authority, read from the verifier's first block).
    /// </summary>
    private async Task<bool> WasAuthorityAsync(ParticipantCode participant, string account, ulong block, CancellationToken ct)
    {
        try
        {
            return await reader.IsAuthorityAsync(participant, account, ChainRpc.Hex(block), ct).ConfigureAwait(false);
        }
        catch (ChainRpcException)
        {
            // the node has no state for that block: the events tell the same
        }
        var word = new byte[32];
        Convert.FromHexString(account.AsSpan(2)).CopyTo(word, 12);
        Hash32[] of = [RegistryKeys.Topic(participant)], who = [Hash32.FromBytes(word)];
        var batch = reader.Batch(ChainRpc.Hex(block));
        var added = batch.Logs<AuthorityAddedEvent>(of, fromBlock, who);
        var removed = batch.Logs<AuthorityRemovedEvent>(of, fromBlock, who);
        await batch.SendAsync(ct).ConfigureAwait(false);
        var last = added.Value.Select(l => (l.BlockNumber, l.LogIndex, Added: true)).Concat(removed.Value.Select(l => (l.BlockNumber, l.LogIndex, Added: false)))
            .OrderBy(e => e.BlockNumber).ThenBy(e => e.LogIndex).LastOrDefault();
        return last.Added;
    }

    private static void CheckCertificateCarats(CertificateRecord c, Run run)
    {
        if (!run.Given.AnyGiven)
        {
            run.Checks.Add(new("certificate.carats", CheckStatus.Skipped, "no parcel documents given: the certified weight is not compared (kp verify --ancestors)"));
            return;
        }
        var missing = c.Parcels.Where(p => !run.Given.Parcels.ContainsKey(p)).ToList();
        if (missing.Count > 0)
        {
            run.Missing.AddRange(missing);
            run.Checks.Add(new("certificate.carats", CheckStatus.Unknown,
                $"the documents of {missing.Count} of the certificate's {c.Parcels.Length} parcels were not given ({ShortList(missing)}): their weight cannot be summed"));
            return;
        }
        var sum = c.Parcels.Sum(p => (decimal)run.Given.Parcels[p].Carats);
        run.Checks.Add(sum == c.Details.Carats
            ? new("certificate.carats", CheckStatus.Pass, $"the parcels weigh {sum / 100:0.00} ct, as certified")
            : new("certificate.carats", CheckStatus.Fail, $"the parcels weigh {sum / 100:0.00} ct; the certificate says {c.Details.Carats / 100m:0.00} ct"));
    }

    private async Task<(string, IReadOnlyList<LineageNode>, IReadOnlyList<ParticipantCode>)> ConfirmationAsync(ImportConfirmationRecord i, Run run)
    {
        var title = $"import confirmation of {i.CertificateNumber}";
        var numberHash = Keccak.Hash(i.CertificateNumber);
        var batch = reader.Batch();
        var head = batch.Header();
        var certificate = batch.Call<CertificateFunction, CertificateOutput, CertificateState>(
            RegistryReader.CertificateCall(i.Exporter, numberHash), o => AbiValues.ToState(numberHash, o.Certificate));
        var confirmation = batch.Call<ConfirmationOfFunction, Bytes32Output, Hash32>(
            new() { Exporter = i.Exporter.ToBytes(), NumberHash = numberHash.ToArray() }, o => Hash32.FromBytes(o.Value));
        await batch.SendAsync(run.Cancel).ConfigureAwait(false);
        run.Pin(domain, reader.Address, head.Value);
        var state = certificate.Value;
        var recorded = confirmation.Value;
        if (state.Status != CertificateStatus.Confirmed)
        {
            run.Checks.Add(new("confirmation.registered", CheckStatus.Fail, state.Exists
                ? $"certificate {i.CertificateNumber} of {i.Exporter} is {state.Status}, not confirmed"
                : $"{i.Exporter} has no certificate numbered {i.CertificateNumber}", Verdict.NotFound));
            return (title, [], []);
        }
        run.Checks.Add(new("confirmation.registered", CheckStatus.Pass, $"the import of {i.CertificateNumber} was confirmed", Verdict.NotFound));
        run.Checks.Add(recorded == i.Hash()
            ? new("confirmation.content", CheckStatus.Pass, "the document is exactly the confirmation anchored", Verdict.Tampered)
            : new("confirmation.content", CheckStatus.Fail, "a confirmation is on record but this document's content differs", Verdict.Tampered));
        run.Checks.Add(state.ParcelCount == i.ParcelCount && state.Importer == i.Importer && state.Exporter == i.Exporter
            ? new("confirmation.matches-certificate", CheckStatus.Pass, "parties and parcel count match the certificate", Verdict.Tampered)
            : new("confirmation.matches-certificate", CheckStatus.Fail, "parties or parcel count differ from the certificate", Verdict.Tampered));
        run.Checks.Add(state.Flag != RecordFlag.None
            ? new("certificate.unflagged", CheckStatus.Fail, $"governance flagged the certificate it confirms {state.Flag}", Verdict.Flagged)
            : new("certificate.unflagged", CheckStatus.Pass, "the certificate it confirms is not flagged", Verdict.Flagged));
        // The chain holds only the confirmation's hash, so the weight it states is compared with the
        // certificate's when the certificate document is given (the weight received is the weight certified).
        var certified = run.Given.Certificates.FirstOrDefault(c => c.Number == i.CertificateNumber && c.Exporter == i.Exporter && state.Matches(c.Hash()));
        run.Checks.Add(certified is not null
            ? certified.Details.Carats == i.Carats
                ? new("confirmation.carats", CheckStatus.Pass, $"confirms the {i.Carats / 100m:0.00} ct certified", Verdict.Invalid)
                : new("confirmation.carats", CheckStatus.Fail, $"confirms {i.Carats / 100m:0.00} ct; the certificate certified {certified.Details.Carats / 100m:0.00} ct", Verdict.Invalid)
            : run.Given.AnyGiven
                ? new("confirmation.carats", CheckStatus.Unknown, $"the document of certificate {i.CertificateNumber} (the one on record) was not given: the weight cannot be compared", Verdict.Invalid)
                : new("confirmation.carats", CheckStatus.Skipped, $"give the document of certificate {i.CertificateNumber} (kp verify --ancestors) to compare the weight", Verdict.Invalid));
        return (title, [], []);
    }

    private async Task<(string, IReadOnlyList<LineageNode>, IReadOnlyList<ParticipantCode>)> TransformationAsync(TransformationRecord t, Run run)
    {
        var title = $"transformation {t.TransformationId}";
        var hash = t.Hash();
        var batch = reader.Batch();
        var head = batch.Header();
        var recorded = batch.Call<TransformationFunction, TransformationOutput>(new() { Hash = hash.ToArray() });
        var first = FirstEvents;
        var roots = new LineageWalker.LevelReads(batch, t.Outputs, first);
        await batch.SendAsync(run.Cancel).ConfigureAwait(false);
        run.Pin(domain, reader.Address, head.Value);
        var state = recorded.Value.Transformation;
        if (state.Registrant == 0)
        {
            run.Checks.Add(new("transformation.registered", CheckStatus.Fail,
                "no transformation with this content was recorded (a changed field, or an input or output left out or added, gives another hash)", Verdict.NotFound));
            return (title, [], []);
        }
        run.Checks.Add(new("transformation.registered", CheckStatus.Pass,
            $"recorded in {AbiValues.Code(state.Participant)}: exactly these {t.Inputs.Length} input(s) and {t.Outputs.Length} output(s)", Verdict.NotFound));
        run.Given.Transformations[hash] = t;
        var events = await PinnedEventsAsync(run, first, (b, e) => roots.ReadEvents(b, e)).ConfigureAwait(false);
        var walker = new LineageWalker(reader, fromBlock, run.Block, run.Given, Bounds, run.Cancel, events);
        var lineage = await walker.WalkAsync(t.Outputs, roots).ConfigureAwait(false);
        run.Absorb(walker);
        return (title, lineage, walker.OriginParticipants);
    }

    private async Task<(string, IReadOnlyList<LineageNode>, IReadOnlyList<ParticipantCode>)> ParcelAsync(ParcelRecord p, Run run)
    {
        var title = $"parcel {p.ParcelId}";
        var hash = p.Hash();
        run.Given.Parcels[hash] = p;
        var batch = reader.Batch();
        var head = batch.Header();
        var first = FirstEvents;
        var roots = new LineageWalker.LevelReads(batch, [hash], first);
        await batch.SendAsync(run.Cancel).ConfigureAwait(false);
        run.Pin(domain, reader.Address, head.Value);
        var state = roots.States[0];
        if (!state.Exists)
        {
            run.Checks.Add(new("parcel.registered", CheckStatus.Fail,
                $"no parcel with this document's content was registered by {p.Participant} (forged, altered, or registered by another participant)", Verdict.NotFound));
            return (title, [], []);
        }
        run.Checks.Add(new("parcel.registered", CheckStatus.Pass, $"registered; now {state.Status} in {state.Holder}", Verdict.NotFound));
        var events = await PinnedEventsAsync(run, first, (b, e) => roots.ReadEvents(b, e)).ConfigureAwait(false);
        var walker = new LineageWalker(reader, fromBlock, run.Block, run.Given, Bounds, run.Cancel, events);
        var lineage = await walker.WalkAsync([hash], roots).ConfigureAwait(false);
        run.Absorb(walker);
        return (title, lineage, walker.OriginParticipants);
    }

    internal static string ShortList(IReadOnlyCollection<Hash32> hashes) =>
        string.Join(", ", hashes.Take(3).Select(h => h.ToShortString())) + (hashes.Count > 3 ? $" and {hashes.Count - 3} more" : "");

    private static string Time(ulong seconds) =>
        DateTimeOffset.FromUnixTimeSeconds((long)seconds).ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The state of one verification: its checks, what is missing, and the block it reads.</summary>
    private sealed class Run(KpRecord document, Ancestors given, ulong? now, CancellationToken cancel)
    {
        public CancellationToken Cancel { get; } = cancel;

        public KpRecord Document { get; } = document;

        public Ancestors Given { get; } = given;

        public ulong? Now { get; } = now;

        public List<Check> Checks { get; } = [];

        public List<Hash32> Missing { get; } = [];

        public ChainPoint? Point { get; private set; }

        /// <summary>The block tag later reads use (the block the first batch saw).</summary>
        public string Block => Point is { } p ? ChainRpc.Hex(p.BlockNumber) : "latest";

        public void Pin(Eip712Domain domain, string registry, BlockHeader block) =>
            Point = new ChainPoint(domain.ChainId, registry, block.Number, block.Hash, block.Timestamp);

        public void Absorb(LineageWalker walker)
        {
            Checks.AddRange(walker.Checks);
            Missing.AddRange(walker.Missing);
        }
    }
}

/// <summary>How far a lineage walk goes: beyond either bound it stops and the verdict is at best Inconclusive.</summary>
/// <param name="MaxDepth">Most transformations walked back from the document (one batched round trip each).</param>
/// <param name="MaxParcels">Most parcels walked in one verification.</param>
public sealed record LineageBounds(int MaxDepth, int MaxParcels)
{
    /// <summary>64 transformations deep, 20,000 parcels: far beyond any real rough-diamond lineage, and about 66 round trips.</summary>
    public static readonly LineageBounds Default = new(64, 20_000);
}
