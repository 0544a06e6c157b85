using System.Collections.Immutable;
using Traceability.Core.Hashing;
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
/// <param name="Outputs">Hashes of the created parcels.</param>
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
    /// <summary>The operations a transformation may record.</summary>
    public static readonly ImmutableArray<string> Operations = ["split", "merge", "sort"];

    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.Transformation;

    /// <inheritdoc />
    public override Eip712Struct ToEip712() =>
        new(RecordSchema.Transformation.Name, [TransformationId, Participant, Operation, Inputs, Outputs, PerformedAt, Salt]);
}
