using Traceability.Chain.Registry;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;

namespace Traceability.Verifier;

/// <summary>
/// Walks parcels back to their origin parcels, level by level, checking every step on the chain:
/// per level one batch for the transformations (their events and states) and one for the parents
/// (their states and the transformations that made them), so a lineage of depth d costs about
/// 2d + 1 round trips whatever the number of parcels. Every read after the first batch is pinned to
/// the block that batch saw. What the walk cannot settle is reported Unknown, never passed.
/// </summary>
internal sealed class LineageWalker(RegistryReader reader, ulong fromBlock, string block, Ancestors ancestors, LineageBounds bounds, CancellationToken ct)
{
    private readonly Dictionary<Hash32, ParcelState> _states = [];
    private readonly Dictionary<Hash32, Hash32> _madeBy = [];
    private readonly Dictionary<Hash32, IReadOnlyList<Hash32>> _inputs = [];
    private readonly Dictionary<Hash32, IReadOnlyList<Hash32>> _outputs = [];
    private readonly Dictionary<Hash32, TransformationState> _transformations = [];
    private readonly Dictionary<Hash32, ParticipantCode> _registeredIn = [];
    private readonly List<Check> _checks = [];
    private readonly List<Hash32> _missing = [];
    private bool _cut;

    public IReadOnlyList<Check> Checks => _checks;

    /// <summary>Documents (by hash) whose absence left a check unknown.</summary>
    public IReadOnlyList<Hash32> Missing => _missing;

    /// <summary>Whether every branch was followed to registered origin parcels, so the origins found are all of them.</summary>
    public bool OriginsComplete { get; private set; }

    /// <summary>The reads of a level of parcels: their states and the events of the transformations that made them.</summary>
    public sealed record LevelReads(BatchResult<IReadOnlyList<ParcelState>> States, BatchResult<IReadOnlyList<RegistryEventLog<ParcelDerivedEvent>>> Derived);

    /// <summary>Adds the reads of the roots' states and makers to <paramref name="batch"/> (to send with other first-round reads).</summary>
    public static LevelReads RootReads(RegistryBatch batch, IReadOnlyList<Hash32> roots, ulong fromBlock) =>
        new(batch.Parcels(roots), batch.Logs<ParcelDerivedEvent>(roots, fromBlock));

    /// <summary>Walks from <paramref name="roots"/>, whose first-round reads were sent.</summary>
    public async Task<IReadOnlyList<LineageNode>> WalkAsync(IReadOnlyList<Hash32> roots, LevelReads first)
    {
        Absorb(first);
        var level = roots.Distinct().ToList();
        var depth = 0;
        while (true)
        {
            var derived = level.Where(p => _states[p].Parents is not null).ToList();
            foreach (var p in derived.Where(p => !_madeBy.ContainsKey(p)))
            {
                _checks.Add(new("lineage.transformation-known", CheckStatus.Fail, $"no transformation event names parcel {p.ToShortString()} as its output"));
            }
            var pending = derived.Where(_madeBy.ContainsKey).Select(p => _madeBy[p]).Distinct().Where(t => !_inputs.ContainsKey(t)).ToList();
            if (pending.Count == 0) break;
            if (++depth > bounds.MaxDepth || _states.Count > bounds.MaxParcels)
            {
                _cut = true;
                var edge = level.Take(3).Select(p => p.ToShortString());
                _checks.Add(new("lineage.complete", CheckStatus.Unknown,
                    $"the lineage goes deeper than {bounds.MaxDepth} transformations or wider than {bounds.MaxParcels} parcels: the walk stopped at " +
                    $"{string.Join(", ", edge)}{(level.Count > 3 ? $" and {level.Count - 3} more" : "")} (raise --max-depth, or verify those parcels on their own)"));
                break;
            }
            await FetchTransformationsAsync(pending).ConfigureAwait(false);
            var next = pending.SelectMany(t => _inputs.GetValueOrDefault(t) ?? []).Distinct().Where(h => !_states.ContainsKey(h)).ToList();
            if (next.Count == 0) break;
            var batch = reader.Batch(block);
            var reads = RootReads(batch, next, fromBlock);
            await batch.SendAsync(ct).ConfigureAwait(false);
            Absorb(reads);
            level = next;
        }
        if (!_cut) _checks.Add(new("lineage.complete", CheckStatus.Pass, $"followed to the origin parcels ({depth} transformation level(s))"));
        var origins = _states.Where(s => s.Value.IsOrigin).Select(s => s.Key).ToList();
        // The certificates that moved the lineage's parcels between participants: a parcel reaches a
        // participant other than the one that made it only on a confirmed certificate, and a flagged
        // certificate taints what it carried. Found by importer (every holder and transformation
        // participant of the lineage, then the exporters found), batched with the origins' events.
        var participants = _states.Values.Select(v => v.Holder).Concat(_transformations.Values.Select(t => t.Participant))
            .OfType<ParticipantCode>().ToHashSet();
        var askedImporters = new HashSet<ParticipantCode>();
        {
            var batch = reader.Batch(block);
            var registered = origins.Count > 0 ? batch.Logs<ParcelRegisteredEvent>(origins, fromBlock) : null;
            var moved = CertificatesInto(batch, participants, askedImporters);
            await batch.SendAsync(ct).ConfigureAwait(false);
            foreach (var log in registered?.Value ?? [])
            {
                if (AbiValues.Code(log.Event.Participant) is { } code) _registeredIn[Hash32.FromBytes(log.Event.Parcel)] = code;
            }
            await FollowCertificatesAsync(moved, askedImporters).ConfigureAwait(false);
        }
        var untraced = origins.Where(o => !_registeredIn.ContainsKey(o)).ToList();
        if (untraced.Count > 0)
        {
            _checks.Add(new("lineage.origins-traced", CheckStatus.Unknown,
                $"{untraced.Count} origin parcel(s) have no registration event in the blocks read (from block {fromBlock}): {DocumentVerifier.ShortList(untraced)}"));
        }
        OriginsComplete = !_cut && untraced.Count == 0 && _states.Values.All(s => s.Exists) && _states.Values.Where(s => s.Parents is not null).All(s => _madeBy.ContainsKey(s.Hash));
        var built = new Dictionary<Hash32, LineageNode>();
        var nodes = roots.Select(r => Build(r, built)).ToList();
        CheckSteps();
        return nodes;
    }

    private readonly Dictionary<(ParticipantCode Exporter, Hash32 NumberHash), RegistryEventLog<CertificateIssuedEvent>> _movedBy = [];

    /// <summary>Adds the query of certificates issued into <paramref name="importers"/> not asked yet; null if none is new.</summary>
    private BatchResult<IReadOnlyList<RegistryEventLog<CertificateIssuedEvent>>>? CertificatesInto(RegistryBatch batch,
        IEnumerable<ParticipantCode> importers, HashSet<ParticipantCode> asked)
    {
        var fresh = importers.Where(asked.Add).ToList();
        return fresh.Count == 0 ? null : batch.Logs<CertificateIssuedEvent>(null, fromBlock, null, [.. fresh.Select(RegistryKeys.Topic)]);
    }

    /// <summary>
    /// Keeps the certificates that carried a parcel of the lineage, follows their exporters (a parcel
    /// may have passed through a participant that never transformed it) until no new participant
    /// appears (bounded by the number of participants), then reads their states and checks their flags.
    /// </summary>
    private async Task FollowCertificatesAsync(BatchResult<IReadOnlyList<RegistryEventLog<CertificateIssuedEvent>>>? moved, HashSet<ParticipantCode> asked)
    {
        while (moved is not null)
        {
            var exporters = new HashSet<ParticipantCode>();
            foreach (var log in moved.Value)
            {
                var carried = log.Event.Parcels.Select(p => Hash32.FromBytes(p)).Where(_states.ContainsKey).ToList();
                if (carried.Count == 0 || AbiValues.Code(log.Event.Exporter) is not { } exporter) continue;
                _movedBy[(exporter, Hash32.FromBytes(log.Event.NumberHash))] = log;
                // follow the exporter only for parcels that did not start there (registered or made there)
                if (carried.Any(p => MakerOf(p) != exporter)) exporters.Add(exporter);
            }
            var batch = reader.Batch(block);
            moved = CertificatesInto(batch, exporters, asked);
            if (moved is null) break;
            await batch.SendAsync(ct).ConfigureAwait(false);
        }
        if (_movedBy.Count == 0)
        {
            _checks.Add(new("lineage.certificates-unflagged", CheckStatus.Pass, "no certificate moved the lineage's parcels between participants", Verdict.Flagged));
            return;
        }
        var reads = reader.Batch(block);
        var states = _movedBy.Keys.Select(k => (Key: k, State: reads.Call<CertificateFunction, CertificateOutput, CertificateState>(
            RegistryReader.CertificateCall(k.Exporter, k.NumberHash), o => AbiValues.ToState(k.NumberHash, o.Certificate)))).ToList();
        await reads.SendAsync(ct).ConfigureAwait(false);
        var flagged = states.Where(x => x.State.Value.Flag != RecordFlag.None)
            .Select(x => $"certificate {x.Key.NumberHash.ToShortString()} ({x.Key.Exporter} -> {x.State.Value.Importer}, {x.State.Value.Flag})").ToList();
        _checks.Add(flagged.Count == 0
            ? new("lineage.certificates-unflagged", CheckStatus.Pass, $"none of the {_movedBy.Count} certificate(s) that moved the lineage's parcels is flagged", Verdict.Flagged)
            : new("lineage.certificates-unflagged", CheckStatus.Fail, "the lineage's parcels travelled on a certificate governance flagged: " + string.Join(", ", flagged), Verdict.Flagged));
    }

    /// <summary>The participant where a parcel of the lineage came into being (registered, or made by a transformation), if known.</summary>
    private ParticipantCode? MakerOf(Hash32 parcel) =>
        _registeredIn.TryGetValue(parcel, out var origin) ? origin
        : _madeBy.TryGetValue(parcel, out var t) && _transformations.TryGetValue(t, out var made) ? made.Participant
        : null;

    /// <summary>The participants that registered the origin parcels found.</summary>
    public IReadOnlyList<ParticipantCode> OriginParticipants => [.. _registeredIn.Values.Distinct().OrderBy(c => c.Value, StringComparer.Ordinal)];

    private async Task FetchTransformationsAsync(IReadOnlyList<Hash32> transformations)
    {
        var batch = reader.Batch(block);
        var logs = batch.Logs<ParcelsTransformedEvent>(transformations, fromBlock);
        var states = transformations.Select(t => batch.Call<TransformationFunction, TransformationOutput>(new() { Hash = t.ToArray() })).ToList();
        await batch.SendAsync(ct).ConfigureAwait(false);
        foreach (var log in logs.Value)
        {
            var hash = Hash32.FromBytes(log.Event.Transformation);
            _inputs[hash] = [.. log.Event.Inputs.Select(b => Hash32.FromBytes(b))];
            // The registry computes each output's hash from the participant and its details hash.
            if (AbiValues.Code(log.Event.Participant) is { } participant)
            {
                _outputs[hash] = [.. log.Event.OutputDetails.Select(d => ParcelRecord.HashOf(participant, Hash32.FromBytes(d)))];
            }
        }
        for (var i = 0; i < transformations.Count; i++)
        {
            var t = states[i].Value.Transformation;
            _transformations[transformations[i]] = new TransformationState(transformations[i], AbiValues.Code(t.Participant),
                (RecordFlag)t.Flag, t.InputCount, t.OutputCount, t.Registrant, t.RegisteredAt);
        }
    }

    private void Absorb(LevelReads reads)
    {
        foreach (var state in reads.States.Value) _states[state.Hash] = state;
        foreach (var log in reads.Derived.Value)
        {
            _madeBy[Hash32.FromBytes(log.Event.Parcel)] = Hash32.FromBytes(log.Event.Transformation);
        }
    }

    /// <summary>The node of <paramref name="parcel"/>, built once: a parcel shared by several descendants is one node (a graph, not an exponentially growing tree).</summary>
    private LineageNode Build(Hash32 parcel, Dictionary<Hash32, LineageNode> built)
    {
        if (built.TryGetValue(parcel, out var done)) return done;
        var state = _states[parcel];
        Hash32? made = _madeBy.TryGetValue(parcel, out var t) ? t : null;
        var parents = made is { } m && _inputs.TryGetValue(m, out var inputs)
            ? inputs.Where(_states.ContainsKey).Select(i => Build(i, built)).ToList()
            : [];
        return built[parcel] = new LineageNode(parcel, state, made, parents, _registeredIn.TryGetValue(parcel, out var c) ? c : null,
            ancestors.Parcels.GetValueOrDefault(parcel));
    }

    private void CheckSteps()
    {
        var unknown = _states.Values.Where(s => !s.Exists).ToList();
        _checks.Add(unknown.Count == 0
            ? new("lineage.registered", CheckStatus.Pass, $"all {_states.Count} parcels of the lineage are registered")
            : new("lineage.registered", CheckStatus.Fail, $"{unknown.Count} parcel(s) are not registered, first {unknown[0].Hash.ToShortString()}"));

        var wrongParents = new List<Hash32>();
        foreach (var (parcel, made) in _madeBy)
        {
            if (!_states.TryGetValue(parcel, out var state) || state.Parents is null || !_inputs.TryGetValue(made, out var inputs)) continue;
            if (!Keccak.HashConcat([.. inputs.Order()]).First20Bytes().AsSpan().SequenceEqual(state.Parents)) wrongParents.Add(parcel);
        }
        _checks.Add(wrongParents.Count == 0
            ? new("lineage.parents-on-chain", CheckStatus.Pass, $"each of {_madeBy.Count} derived parcels matches the inputs of the transformation that made it")
            : new("lineage.parents-on-chain", CheckStatus.Fail, $"{wrongParents.Count} parcel(s) do not match their transformation's inputs"));

        CheckClaimedParents();
        CheckFlags();
        CheckCarats();
        CheckDeclaredOrigins();
    }

    /// <summary>
    /// A transformation document given must be, hash for hash, a transformation of this lineage:
    /// its hash commits to its inputs and all its outputs, so one that leaves out or invents an
    /// output or an input names a transformation that was never recorded.
    /// </summary>
    private void CheckClaimedParents()
    {
        foreach (var doc in ancestors.Transformations.Values)
        {
            var hash = doc.Hash();
            if (_inputs.ContainsKey(hash))
            {
                _checks.Add(new("lineage.claimed-parents", CheckStatus.Pass,
                    $"transformation {doc.TransformationId}: exactly the inputs and outputs recorded on chain"));
                continue;
            }
            var claimsLineage = doc.Outputs.Any(_states.ContainsKey) || doc.Inputs.Any(_states.ContainsKey);
            _checks.Add(claimsLineage
                ? new("lineage.claimed-parents", CheckStatus.Fail,
                    $"transformation document {doc.TransformationId} is not the transformation recorded for its parcels: an input or output was left out, added or changed")
                : new("lineage.claimed-parents", CheckStatus.Skipped, $"transformation document {doc.TransformationId} is not part of this lineage"));
        }
    }

    private void CheckFlags()
    {
        var flagged = _states.Values.Where(s => s.Flag != RecordFlag.None).Select(s => $"parcel {s.Hash.ToShortString()} ({s.Flag})")
            .Concat(_transformations.Values.Where(t => t.Flag != RecordFlag.None).Select(t => $"transformation {t.Hash.ToShortString()} ({t.Flag})"))
            .ToList();
        _checks.Add(flagged.Count == 0
            ? new("lineage.unflagged", CheckStatus.Pass, "no parcel or transformation of the lineage is flagged", Verdict.Flagged)
            : new("lineage.unflagged", CheckStatus.Fail, "flagged by governance: " + string.Join(", ", flagged), Verdict.Flagged));
    }

    /// <summary>
    /// Carats never grow through a transformation, summed over all its inputs and all its outputs as
    /// the chain recorded them (not as a document lists them). Asked for by giving documents: with
    /// none, skipped; with some, every transformation of the lineage must be covered, or it is unknown.
    /// </summary>
    private void CheckCarats()
    {
        if (!ancestors.AnyGiven)
        {
            _checks.Add(new("lineage.carats-conserved", CheckStatus.Skipped,
                _inputs.Count == 0 ? "no transformation in the lineage" : "no ancestor documents given: carats are not compared (kp verify --ancestors)"));
            return;
        }
        var checkedSteps = 0;
        var missing = new List<Hash32>();
        foreach (var (t, inputs) in _inputs)
        {
            if (!_outputs.TryGetValue(t, out var outputs))
            {
                _checks.Add(new("lineage.carats-conserved", CheckStatus.Unknown, $"the outputs of transformation {t.ToShortString()} could not be read"));
                return;
            }
            var absent = inputs.Concat(outputs).Where(h => !ancestors.Parcels.ContainsKey(h)).ToList();
            if (absent.Count > 0)
            {
                missing.AddRange(absent);
                continue;
            }
            checkedSteps++;
            var inCarats = inputs.Sum(i => (decimal)ancestors.Parcels[i].Carats);
            var outCarats = outputs.Sum(o => (decimal)ancestors.Parcels[o].Carats);
            if (outCarats > inCarats)
            {
                _checks.Add(new("lineage.carats-conserved", CheckStatus.Fail,
                    $"transformation {t.ToShortString()} outputs {outCarats / 100:0.00} ct (all {outputs.Count} outputs on chain) from {inCarats / 100:0.00} ct of inputs"));
                return;
            }
        }
        if (missing.Count > 0)
        {
            var distinct = missing.Distinct().ToList();
            _missing.AddRange(distinct);
            _checks.Add(new("lineage.carats-conserved", CheckStatus.Unknown,
                $"{checkedSteps} of {_inputs.Count} transformation(s) checked; the documents of {distinct.Count} of their parcels were not given " +
                $"({DocumentVerifier.ShortList(distinct)}): carats cannot be summed over every input and output"));
            return;
        }
        _checks.Add(_inputs.Count == 0
            ? new("lineage.carats-conserved", CheckStatus.Skipped, "no transformation in the lineage")
            : new("lineage.carats-conserved", CheckStatus.Pass, $"outputs never exceed inputs in {checkedSteps} transformation(s), over every input and output on chain"));
    }

    /// <summary>Each parcel document given declares the origins the chain traces under it.</summary>
    private void CheckDeclaredOrigins()
    {
        var memo = new Dictionary<Hash32, HashSet<ParticipantCode>?>();
        foreach (var (hash, doc) in ancestors.Parcels)
        {
            if (!_states.ContainsKey(hash)) continue;
            var traced = TracedOrigins(hash, memo);
            if (traced is null) continue;
            if (!doc.Origins.ToHashSet().SetEquals(traced))
            {
                _checks.Add(new("lineage.origin-declared", CheckStatus.Fail,
                    $"parcel {doc.ParcelId} declares origin {string.Join("+", doc.Origins)} but the chain traces it to {string.Join("+", traced.Order())}"));
                return;
            }
        }
    }

    /// <summary>The origin participants under a parcel, or null if not fully traced (memoised: siblings share parents).</summary>
    private HashSet<ParticipantCode>? TracedOrigins(Hash32 parcel, Dictionary<Hash32, HashSet<ParticipantCode>?> memo)
    {
        if (memo.TryGetValue(parcel, out var known)) return known;
        memo[parcel] = null; // a cycle (impossible on chain) stays untraced
        HashSet<ParticipantCode>? result = null;
        if (_states.TryGetValue(parcel, out var state) && state.Exists)
        {
            if (state.IsOrigin)
            {
                result = _registeredIn.TryGetValue(parcel, out var c) ? [c] : null;
            }
            else if (_madeBy.TryGetValue(parcel, out var t) && _inputs.TryGetValue(t, out var inputs))
            {
                result = [];
                foreach (var i in inputs)
                {
                    if (TracedOrigins(i, memo) is not { } sub)
                    {
                        result = null;
                        break;
                    }
                    result.UnionWith(sub);
                }
            }
        }
        memo[parcel] = result;
        return result;
    }
}

/// <summary>Ancestor documents given with a document, by hash.</summary>
internal sealed class Ancestors
{
    public Ancestors(IEnumerable<KpRecord> records)
    {
        foreach (var r in records)
        {
            AnyGiven = true;
            switch (r)
            {
                case ParcelRecord p: Parcels[p.Hash()] = p; break;
                case TransformationRecord t: Transformations[t.Hash()] = t; break;
                case CertificateRecord c: Certificates.Add(c); break;
            }
        }
    }

    /// <summary>Whether the caller gave any ancestor document (which asks for the carats checks).</summary>
    public bool AnyGiven { get; }

    public Dictionary<Hash32, ParcelRecord> Parcels { get; } = [];

    public Dictionary<Hash32, TransformationRecord> Transformations { get; } = [];

    /// <summary>Certificate documents given (for an import confirmation: the certificate it confirms).</summary>
    public List<CertificateRecord> Certificates { get; } = [];
}
