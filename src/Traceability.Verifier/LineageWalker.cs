using Traceability.Chain.Registry;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;

namespace Traceability.Verifier;

/// <summary>
/// Walks parcels back to their origin parcels, level by level, checking every step on the chain,
/// one batch a level: a parcel's ParcelDerived event names the transformation that made it and that
/// transformation's inputs (its parents), so each level's batch reads the level's parcels (states,
/// makers and parents, registrations) with the previous level's transformations (states, outputs),
/// and asks speculatively for what the end of the walk needs: the certificates into every
/// participant newly seen and the certificates' flags. A lineage of depth d costs about d + 1 round
/// trips whatever the number of parcels; with the ancestor documents given, the first batch after
/// the document's also reads everything they name, so the walk then finds it read. Every read after
/// the first batch is pinned to the block that batch saw. What the walk cannot settle is reported
/// Unknown, never passed.
/// </summary>
internal sealed class LineageWalker(RegistryReader reader, ulong fromBlock, string block, Ancestors ancestors, LineageBounds bounds, CancellationToken ct,
    EventReads events)
{
    private readonly VerificationIndex? _index = events.Index;

    // The lineage: the parcels and transformations walked, and what the chain says of them.
    private readonly Dictionary<Hash32, ParcelState> _states = [];
    private readonly Dictionary<Hash32, Hash32> _madeBy = [];
    private readonly Dictionary<Hash32, IReadOnlyList<Hash32>> _inputs = [];
    private readonly Dictionary<Hash32, IReadOnlyList<Hash32>> _outputs = [];
    private readonly Dictionary<Hash32, TransformationState> _transformations = [];
    private readonly Dictionary<Hash32, ParticipantCode> _registeredIn = [];
    private readonly Dictionary<(ParticipantCode Exporter, Hash32 NumberHash), RegistryEventLog<CertificateIssuedEvent>> _movedBy = [];

    // Everything read so far, in the lineage or read ahead of it (all at the same block).
    private readonly Dictionary<Hash32, ParcelState> _readStates = [];
    private readonly Dictionary<Hash32, RegistryEventLog<ParcelDerivedEvent>> _derivations = [];
    private readonly Dictionary<Hash32, IReadOnlyList<Hash32>> _inputsOf = [];
    private readonly Dictionary<Hash32, ParticipantCode> _registrations = [];
    private readonly Dictionary<Hash32, TransformationState> _readTransformations = [];
    private readonly Dictionary<Hash32, IReadOnlyList<Hash32>> _readOutputs = [];
    private readonly HashSet<ParticipantCode> _askedImporters = [];
    private readonly List<RegistryEventLog<CertificateIssuedEvent>> _issued = [];
    private Dictionary<Hash32, RecordFlag>? _certificateFlags;
    private bool _flagsAsked;
    private bool _documentsAsked;

    private readonly List<Check> _checks = [];
    private readonly List<Hash32> _missing = [];
    private bool _cut;

    public IReadOnlyList<Check> Checks => _checks;

    /// <summary>Documents (by hash) whose absence left a check unknown.</summary>
    public IReadOnlyList<Hash32> Missing => _missing;

    /// <summary>Whether every branch was followed to registered origin parcels, so the origins found are all of them.</summary>
    public bool OriginsComplete { get; private set; }

    /// <summary>
    /// The reads of a level of parcels: their states, the events of the transformations that made them (with their
    /// parents), and their registrations (for those that are origins). The states are read with the batch the reads
    /// are made with; the events with it too, or later (<see cref="ReadEvents"/>: a verifier with an index knows only
    /// once its first batch is answered whether the index holds its block).
    /// </summary>
    public sealed class LevelReads
    {
        private readonly IReadOnlyList<Hash32> _parcels;
        private readonly BatchResult<IReadOnlyList<ParcelState>> _states;
        private Func<IReadOnlyList<RegistryEventLog<ParcelDerivedEvent>>>? _derived;
        private Func<IReadOnlyList<RegistryEventLog<ParcelRegisteredEvent>>>? _registered;

        /// <summary>Adds the reads of <paramref name="parcels"/>' states to <paramref name="batch"/>, and of their events if <paramref name="events"/> is given.</summary>
        public LevelReads(RegistryBatch batch, IReadOnlyList<Hash32> parcels, EventReads? events)
        {
            _parcels = parcels;
            _states = batch.Parcels(parcels);
            if (events is not null) ReadEvents(batch, events);
        }

        public IReadOnlyList<ParcelState> States => _states.Value;

        public IReadOnlyList<RegistryEventLog<ParcelDerivedEvent>> Derived => (_derived ?? throw NotRead())();

        public IReadOnlyList<RegistryEventLog<ParcelRegisteredEvent>> Registered => (_registered ?? throw NotRead())();

        /// <summary>Adds the reads of the parcels' ParcelDerived and ParcelRegistered events to <paramref name="batch"/> (or takes them from the index).</summary>
        public void ReadEvents(RegistryBatch batch, EventReads events)
        {
            _derived = events.Derived(batch, _parcels);
            _registered = events.Registered(batch, _parcels);
        }

        private static InvalidOperationException NotRead() => new("the level's events were not read");
    }

    /// <summary>Walks from <paramref name="roots"/>, whose first-round reads were sent.</summary>
    public async Task<IReadOnlyList<LineageNode>> WalkAsync(IReadOnlyList<Hash32> roots, LevelReads first)
    {
        Absorb(first);
        var level = roots.Distinct().ToList();
        foreach (var p in level) JoinParcel(p);
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
            // The parents came with the level's ParcelDerived events: read them with the transformations.
            var next = pending.SelectMany(t => _inputsOf[t]).Distinct().Where(h => !_states.ContainsKey(h)).ToList();
            var batch = reader.Batch(block);
            var absorb = new List<Action>();
            ReadTransformations(batch, [.. pending.Where(t => !_readTransformations.ContainsKey(t))], absorb);
            ReadParcels(batch, [.. next.Where(p => !_readStates.ContainsKey(p))], absorb);
            if (batch.Count > 0)
            {
                ReadAhead(batch, absorb);
                await SendAsync(batch, absorb).ConfigureAwait(false);
            }
            foreach (var t in pending) JoinTransformation(t);
            foreach (var p in next) JoinParcel(p);
            if (next.Count == 0) break;
            level = next;
        }
        if (!_cut) _checks.Add(new("lineage.complete", CheckStatus.Pass, $"followed to the origin parcels ({depth} transformation level(s))"));
        var origins = _states.Where(s => s.Value.IsOrigin).Select(s => s.Key).ToList();
        await FollowCertificatesAsync().ConfigureAwait(false);
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

    /// <summary>A parcel read joins the lineage: its state, the transformation that made it, the participant that registered it.</summary>
    private void JoinParcel(Hash32 parcel)
    {
        var state = _states[parcel] = _readStates[parcel];
        if (_derivations.TryGetValue(parcel, out var derivation)) _madeBy[parcel] = Hash32.FromBytes(derivation.Event.Transformation);
        if (state.IsOrigin && _registrations.TryGetValue(parcel, out var participant)) _registeredIn[parcel] = participant;
    }

    /// <summary>A transformation that made a parcel of the lineage joins it: its inputs (from its ParcelDerived events), state and outputs.</summary>
    private void JoinTransformation(Hash32 transformation)
    {
        _inputs[transformation] = _inputsOf[transformation];
        _transformations[transformation] = _readTransformations[transformation];
        if (_readOutputs.TryGetValue(transformation, out var outputs)) _outputs[transformation] = outputs;
    }

    /// <summary>
    /// What the end of the walk will ask for, added to a batch that goes anyway: the certificates into
    /// every participant of the lineage seen so far (or named by a document given), every certificate
    /// flag, and (once) everything the ancestor documents name.
    /// </summary>
    private void ReadAhead(RegistryBatch batch, List<Action> absorb)
    {
        // a transformation's participant is in its ParcelDerived events before its state is read
        var seen = LineageParticipants().Concat(_madeBy.Keys.Select(p => AbiValues.Code(_derivations[p].Event.Participant)).OfType<ParticipantCode>());
        if (ancestors.AnyGiven && !_documentsAsked)
        {
            _documentsAsked = true;
            var parcels = ancestors.Parcels.Keys.Concat(ancestors.Transformations.Values.SelectMany(t => t.Inputs.Concat(t.Outputs)))
                .Distinct().Where(p => !_readStates.ContainsKey(p)).Take(bounds.MaxParcels).ToList();
            ReadParcels(batch, parcels, absorb);
            ReadTransformations(batch, [.. ancestors.Transformations.Keys.Where(t => !_readTransformations.ContainsKey(t))], absorb);
            seen = seen.Concat(ancestors.Transformations.Values.Select(t => t.Participant)).Concat(ancestors.Parcels.Values.Select(p => p.Participant));
        }
        ReadCertificatesInto(batch, seen, absorb);
        ReadFlags(batch, absorb);
    }

    private async Task SendAsync(RegistryBatch batch, List<Action> absorb)
    {
        await batch.SendAsync(ct).ConfigureAwait(false);
        foreach (var a in absorb) a();
    }

    private void ReadParcels(RegistryBatch batch, IReadOnlyList<Hash32> parcels, List<Action> absorb)
    {
        if (parcels.Count == 0) return;
        var reads = new LevelReads(batch, parcels, events);
        absorb.Add(() => Absorb(reads));
    }

    private void Absorb(LevelReads reads)
    {
        foreach (var state in reads.States) _readStates[state.Hash] = state;
        foreach (var log in reads.Derived)
        {
            _derivations[Hash32.FromBytes(log.Event.Parcel)] = log;
            _inputsOf[Hash32.FromBytes(log.Event.Transformation)] = [.. log.Event.Inputs.Select(b => Hash32.FromBytes(b))];
        }
        foreach (var log in reads.Registered)
        {
            if (AbiValues.Code(log.Event.Participant) is { } code) _registrations[Hash32.FromBytes(log.Event.Parcel)] = code;
        }
    }

    /// <summary>Adds the reads of transformations: their ParcelsTransformed events (the outputs) and states.</summary>
    private void ReadTransformations(RegistryBatch batch, IReadOnlyList<Hash32> transformations, List<Action> absorb)
    {
        if (transformations.Count == 0) return;
        var logs = events.Transformed(batch, transformations);
        var states = transformations.Select(t => batch.Call<TransformationFunction, TransformationOutput>(new() { Hash = t.ToArray() })).ToList();
        absorb.Add(() =>
        {
            foreach (var log in logs())
            {
                // The registry computes each output's hash from the participant and its details hash.
                if (AbiValues.Code(log.Event.Participant) is { } participant)
                {
                    _readOutputs[Hash32.FromBytes(log.Event.Transformation)] =
                        [.. log.Event.OutputDetails.Select(d => ParcelRecord.HashOf(participant, Hash32.FromBytes(d)))];
                }
            }
            for (var i = 0; i < transformations.Count; i++)
            {
                var t = states[i].Value.Transformation;
                _readTransformations[transformations[i]] = new TransformationState(transformations[i], AbiValues.Code(t.Participant),
                    (RecordFlag)t.Flag, t.InputCount, t.OutputCount, t.Registrant, t.RegisteredAt);
            }
        });
    }

    /// <summary>Adds the query of certificates issued into <paramref name="importers"/> not asked yet.</summary>
    private void ReadCertificatesInto(RegistryBatch batch, IEnumerable<ParticipantCode> importers, List<Action> absorb)
    {
        if (_index is not null) return; // the index holds them all (at this walk's block)
        var fresh = importers.Distinct().Where(_askedImporters.Add).ToList();
        if (fresh.Count == 0) return;
        var logs = batch.Logs<CertificateIssuedEvent>(null, fromBlock, null, [.. fresh.Select(RegistryKeys.Topic)]);
        absorb.Add(() => _issued.AddRange(logs.Value));
    }

    /// <summary>Adds (once) the query of every certificate flag set or cleared up to the block: governance acts are rare, and the last one of a certificate is its flag.</summary>
    private void ReadFlags(RegistryBatch batch, List<Action> absorb)
    {
        if (_flagsAsked) return;
        _flagsAsked = true;
        var logs = events.CertificateFlags(batch);
        absorb.Add(() => _certificateFlags = logs().OrderBy(l => l.BlockNumber).ThenBy(l => l.LogIndex)
            .GroupBy(l => Hash32.FromBytes(l.Event.Key)).ToDictionary(g => g.Key, g => (RecordFlag)g.Last().Event.Flag));
    }

    /// <summary>The holders of the lineage's parcels and the participants of its transformations: where its parcels may have been imported.</summary>
    private HashSet<ParticipantCode> LineageParticipants() =>
        _states.Values.Select(v => v.Holder).Concat(_transformations.Values.Select(t => t.Participant)).OfType<ParticipantCode>().ToHashSet();

    /// <summary>
    /// The certificates that moved the lineage's parcels between participants: a parcel reaches a
    /// participant other than the one that made it only on a confirmed certificate, and a flagged
    /// certificate taints what it carried. Found by importer (every holder and transformation
    /// participant of the lineage), then following their exporters (a parcel may have passed through
    /// a participant that never transformed it) until no new participant appears: most were read
    /// ahead with the walk, so this adds a round only for an exporter outside the lineage. Their flags
    /// are the last RecordFlagged event of each.
    /// </summary>
    private async Task FollowCertificatesAsync()
    {
        var importers = LineageParticipants();
        if (_index is not null)
        {
            _issued.AddRange(_states.Keys.SelectMany(events.Carrying).Distinct());
        }
        while (true)
        {
            var batch = reader.Batch(block);
            var absorb = new List<Action>();
            ReadCertificatesInto(batch, importers, absorb);
            if (batch.Count > 0)
            {
                ReadFlags(batch, absorb);
                await SendAsync(batch, absorb).ConfigureAwait(false);
            }
            var exporters = new HashSet<ParticipantCode>();
            foreach (var log in _issued)
            {
                if (AbiValues.Code(log.Event.Importer) is not { } importer || !importers.Contains(importer)) continue;
                var carried = log.Event.Parcels.Select(p => Hash32.FromBytes(p)).Where(_states.ContainsKey).ToList();
                if (carried.Count == 0 || AbiValues.Code(log.Event.Exporter) is not { } exporter) continue;
                _movedBy[(exporter, Hash32.FromBytes(log.Event.NumberHash))] = log;
                // follow the exporter only for parcels that did not start there (registered or made there)
                if (carried.Any(p => MakerOf(p) != exporter)) exporters.Add(exporter);
            }
            if (exporters.IsSubsetOf(importers)) break;
            importers.UnionWith(exporters);
        }
        if (_movedBy.Count == 0)
        {
            _checks.Add(new("lineage.certificates-unflagged", CheckStatus.Pass, "no certificate moved the lineage's parcels between participants", Verdict.Flagged));
            return;
        }
        if (!_flagsAsked)
        {
            var batch = reader.Batch(block);
            var absorb = new List<Action>();
            ReadFlags(batch, absorb);
            await SendAsync(batch, absorb).ConfigureAwait(false);
        }
        var flags = _certificateFlags ?? [];
        var flagged = _movedBy
            .Select(m => (m.Key, m.Value, Flag: flags.GetValueOrDefault(RegistryKeys.Certificate(m.Key.Exporter, m.Key.NumberHash), RecordFlag.None)))
            .Where(x => x.Flag != RecordFlag.None)
            .Select(x => $"certificate {x.Key.NumberHash.ToShortString()} ({x.Key.Exporter} -> {AbiValues.Code(x.Value.Event.Importer)}, {x.Flag})").ToList();
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
