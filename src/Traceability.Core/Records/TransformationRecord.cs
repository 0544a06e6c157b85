using System.Collections.Immutable;
using Traceability.Core.Hashing;
using Traceability.Core.Json;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;

namespace Traceability.Core.Records;

/// <summary>
/// A transformation (EPCIS TransformationEvent): a split, merge or sort that consumes input
/// parcels and creates output parcels, held by one participant.
/// </summary>
/// <param name="TransformationId">The holder's own reference.</param>
/// <param name="Participant">The participant where it happened.</param>
/// <param name="Operation">"split", "merge" or "sort".</param>
/// <param name="Inputs">Hashes of the consumed parcels, strictly ascending (the contract's order).</param>
/// <param name="Outputs">Hashes of the created parcels (all of them: the on-chain hash commits to every output).</param>
/// <param name="PerformedAt">Unix seconds.</param>
/// <param name="Salt">Random 32 bytes.</param>
public sealed record TransformationRecord(
    string TransformationId,
    ParticipantCode Participant,
    string Operation,
    ImmutableArray<Hash32> Inputs,
    ImmutableArray<Hash32> Outputs,
    ulong PerformedAt,
    Hash32 Salt) : KpRecord
{
    /// <summary>
    /// The ParcelDetails struct hashes of the outputs, in order: what the member sends, since the
    /// registry computes each output's hash from its own participant. Not part of the record's hash
    /// (the outputs are); <see cref="RecordJson"/> checks that they give the outputs.
    /// </summary>
    public ImmutableArray<Hash32> OutputDetails { get; init; } = [];

    /// <summary>A transformation creating <paramref name="outputs"/> (their hashes and details hashes are taken from the documents).</summary>
    public static TransformationRecord Create(string transformationId, ParticipantCode participant, string operation,
        IEnumerable<Hash32> inputs, IReadOnlyList<ParcelRecord> outputs, ulong performedAt, Hash32 salt) =>
        new(transformationId, participant, operation, [.. inputs], [.. outputs.Select(o => o.Hash())], performedAt, salt)
        {
            OutputDetails = [.. outputs.Select(o => o.DetailsHash())],
        };

    /// <summary>Whether <see cref="OutputDetails"/> gives exactly <see cref="Outputs"/> under this participant.</summary>
    public bool OutputDetailsMatch =>
        OutputDetails.Length == Outputs.Length && OutputDetails.Select((d, i) => ParcelRecord.HashOf(Participant, d) == Outputs[i]).All(x => x);

    /// <summary>The operations a transformation may record.</summary>
    public static readonly ImmutableArray<string> Operations = ["split", "merge", "sort"];

    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Transformation;

    /// <summary>The details as an EIP-712 struct value.</summary>
    public Eip712Struct DetailsToEip712() =>
        new(RecordSchema.TransformationDetails.Name, [TransformationId, Operation, PerformedAt, Salt]);

    /// <summary>The EIP-712 struct hash of the details: what a member sends to record the transformation.</summary>
    public Hash32 DetailsHash() => Eip712Encoder.HashStruct(RecordSchema.Schema, DetailsToEip712());

    /// <inheritdoc />
    public override Eip712Struct ToEip712() =>
        new(RecordSchema.Transformation.Name, [Participant, Inputs, Outputs, DetailsToEip712()]);
}
