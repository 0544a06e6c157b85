using Newtonsoft.Json.Linq;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;

namespace Traceability.Verifier;

/// <summary>
/// Walks parcels back to their origin parcels, level by level, checking every step on the chain:
/// per level one batch for the transformations (their events and states) and one for the parents
/// (their states and the transformations that made them), so a lineage of depth d costs about
/// 2d + 1 round trips whatever the number of parcels.
/// </summary>
internal sealed class LineageWalker(RegistryReader reader, ulong fromBlock, Ancestors ancestors)
{
    /// <summary>Deepest lineage walked; deeper trees are reported, not followed.</summary>
    public const int MaxDepth = 64;

    /// <summary>Most parcels walked in one verification.</summary>
    public const int MaxParcels = 20_000;

    private readonly Dictionary<Hash32, ParcelState> _states = [];
    private readonly Dictionary<Hash32, Hash32> _madeBy = [];
    private readonly Dictionary<Hash32, IReadOnlyList<Hash32>> _inputs = [];
    private readonly Dictionary<Hash32, TransformationState> _transformations = [];
    private readonly Dictionary<Hash32, ParticipantCode> _registeredIn = [];
    private readonly List<Check> _checks = [];

    public IReadOnlyList<Check> Checks => _checks;

    /// <summary>The batch calls that fetch the roots' states and makers (to send with other first-round calls).</summary>
    public static IEnumerable<RpcCall> RootCalls(RegistryReader reader, IReadOnlyList<Hash32> roots, ulong fromBlock) =>
    [
        reader.Call(new ParcelsOfFunction { Hashes = AbiValues.Bytes32(roots) }),
        reader.LogsCall<ParcelDerivedEvent>(roots, fromBlock),
    ];

    /// <summary>Walks from <paramref name="roots"/>, whose first-round results are given.</summary>
    public async Task<IReadOnlyList<LineageNode>> WalkAsync(IReadOnlyList<Hash32> roots, JToken parcelsOutput, JToken derivedLogs)
    {
        Absorb(roots, parcelsOutput, derivedLogs);
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
            if (++depth > MaxDepth || _states.Count > MaxParcels)
            {
                _checks.Add(new("lineage.bounded", CheckStatus.Unknown, $"lineage deeper than {MaxDepth} levels or wider than {MaxParcels} parcels: not followed further"));
                break;
            }
            await FetchTransformationsAsync(pending).ConfigureAwait(false);
            var next = pending.SelectMany(t => _inputs.GetValueOrDefault(t) ?? []).Distinct().Where(h => !_states.ContainsKey(h)).ToList();
            if (next.Count == 0) break;
            var results = await reader.Rpc.BatchAsync([.. RootCalls(reader, next, fromBlock)]).ConfigureAwait(false);
            Absorb(next, Value(results[0]), Value(results[1]));
            level = next;
        }
        var origins = _states.Where(s => s.Value.IsOrigin).Select(s => s.Key).ToList();
        if (origins.Count > 0)
        {
            var call = reader.LogsCall<ParcelRegisteredEvent>(origins, fromBlock);
            foreach (var log in RegistryReader.DecodeLogs<ParcelRegisteredEvent>(await reader.Rpc.RequestAsync(call.Method, call.Parameters).ConfigureAwait(false)))
            {
                if (AbiValues.Code(log.Event.Participant) is { } code) _registeredIn[Hash32.FromBytes(log.Event.Parcel)] = code;
            }
        }
        var nodes = roots.Select(r => Build(r, 0)).ToList();
        CheckSteps();
        return nodes;
    }

    /// <summary>The participants that registered the origin parcels found.</summary>
    public IReadOnlyList<ParticipantCode> OriginParticipants => [.. _registeredIn.Values.Distinct().OrderBy(c => c.Value, StringComparer.Ordinal)];

    private async Task FetchTransformationsAsync(IReadOnlyList<Hash32> transformations)
    {
        var calls = new List<RpcCall> { reader.LogsCall<ParcelsTransformedEvent>(transformations, fromBlock) };
        calls.AddRange(transformations.Select(t => reader.Call(new TransformationFunction { Hash = t.ToArray() })));
        var results = await reader.Rpc.BatchAsync(calls).ConfigureAwait(false);
        foreach (var log in RegistryReader.DecodeLogs<ParcelsTransformedEvent>(Value(results[0])))
        {
            _inputs[Hash32.FromBytes(log.Event.Transformation)] = [.. log.Event.Inputs.Select(b => Hash32.FromBytes(b))];
        }
        for (var i = 0; i < transformations.Count; i++)
        {
            var t = RegistryReader.Decode<TransformationOutput>((string)Value(results[i + 1])!).Transformation;
            _transformations[transformations[i]] = new TransformationState(transformations[i], AbiValues.Code(t.Participant),
                (RecordFlag)t.Flag, t.InputCount, t.OutputCount, t.Registrant, t.RegisteredAt);
        }
    }

    private void Absorb(IReadOnlyList<Hash32> hashes, JToken parcelsOutput, JToken derivedLogs)
    {
        foreach (var state in RegistryReader.DecodeParcels(hashes, (string)parcelsOutput!)) _states[state.Hash] = state;
        foreach (var log in RegistryReader.DecodeLogs<ParcelDerivedEvent>(derivedLogs))
        {
            _madeBy[Hash32.FromBytes(log.Event.Parcel)] = Hash32.FromBytes(log.Event.Transformation);
        }
    }

    private LineageNode Build(Hash32 parcel, int depth)
    {
        var state = _states[parcel];
        Hash32? made = _madeBy.TryGetValue(parcel, out var t) ? t : null;
        var parents = made is { } m && depth < MaxDepth && _inputs.TryGetValue(m, out var inputs)
            ? inputs.Where(_states.ContainsKey).Select(i => Build(i, depth + 1)).ToList()
            : [];
        return new LineageNode(parcel, state, made, parents, _registeredIn.TryGetValue(parcel, out var c) ? c : null,
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

    private void CheckClaimedParents()
    {
        foreach (var doc in ancestors.Transformations.Values)
        {
            var hash = doc.Hash();
            if (!_inputs.TryGetValue(hash, out var onChain))
            {
                var claimsLineage = doc.Outputs.Any(_states.ContainsKey);
                _checks.Add(new("lineage.claimed-parents", claimsLineage ? CheckStatus.Fail : CheckStatus.Unknown,
                    claimsLineage
                        ? $"transformation document {doc.TransformationId} is not the transformation that made its outputs"
                        : $"transformation document {doc.TransformationId} is not part of this lineage"));
                continue;
            }
            var same = onChain.Order().SequenceEqual(doc.Inputs.Order());
            _checks.Add(new("lineage.claimed-parents", same ? CheckStatus.Pass : CheckStatus.Fail,
                same ? $"transformation {doc.TransformationId}: its claimed inputs are the ones on chain"
                     : $"transformation {doc.TransformationId}: its claimed inputs are not the parcels the chain says it consumed"));
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

    private void CheckCarats()
    {
        if (ancestors.Parcels.Count == 0)
        {
            _checks.Add(new("lineage.carats-conserved", CheckStatus.Unknown, "no ancestor documents given: carats cannot be compared"));
            return;
        }
        int checkedSteps = 0, unknownSteps = 0;
        foreach (var (t, inputs) in _inputs)
        {
            var outputs = _madeBy.Where(kv => kv.Value == t).Select(kv => kv.Key).ToList();
            if (ancestors.Transformations.TryGetValue(t, out var doc)) outputs = [.. doc.Outputs];
            if (!inputs.All(ancestors.Parcels.ContainsKey) || !outputs.All(ancestors.Parcels.ContainsKey))
            {
                unknownSteps++;
                continue;
            }
            checkedSteps++;
            var inCarats = inputs.Sum(i => (decimal)ancestors.Parcels[i].Carats);
            var outCarats = outputs.Sum(o => (decimal)ancestors.Parcels[o].Carats);
            if (outCarats > inCarats)
            {
                _checks.Add(new("lineage.carats-conserved", CheckStatus.Fail,
                    $"transformation {t.ToShortString()} outputs {outCarats / 100:0.00} ct from {inCarats / 100:0.00} ct of inputs"));
                return;
            }
        }
        _checks.Add(checkedSteps == 0
            ? new("lineage.carats-conserved", CheckStatus.Unknown, "the documents given do not cover a whole transformation")
            : new("lineage.carats-conserved", unknownSteps == 0 ? CheckStatus.Pass : CheckStatus.Unknown,
                $"outputs never exceed inputs in {checkedSteps} transformation(s)" + (unknownSteps > 0 ? $"; {unknownSteps} not covered by the documents given" : "")));
    }

    private void CheckDeclaredOrigins()
    {
        foreach (var (hash, doc) in ancestors.Parcels)
        {
            if (!_registeredIn.TryGetValue(hash, out var registeredIn)) continue;
            var ok = doc.Origins.Length == 1 && doc.Origins[0] == registeredIn;
            if (!ok)
            {
                _checks.Add(new("lineage.origin-declared", CheckStatus.Fail,
                    $"origin parcel {doc.ParcelId} declares origin {string.Join("+", doc.Origins)} but was registered in {registeredIn}"));
                return;
            }
        }
    }

    internal static JToken Value((JToken? Result, Exception? Error) result) => result.Error is null ? result.Result! : throw result.Error;
}

/// <summary>Ancestor documents given with a document, by hash.</summary>
internal sealed class Ancestors
{
    public Ancestors(IEnumerable<KpRecord> records)
    {
        foreach (var r in records)
        {
            switch (r)
            {
                case ParcelRecord p: Parcels[p.Hash()] = p; break;
                case TransformationRecord t: Transformations[t.Hash()] = t; break;
            }
        }
    }

    public Dictionary<Hash32, ParcelRecord> Parcels { get; } = [];

    public Dictionary<Hash32, TransformationRecord> Transformations { get; } = [];
}
