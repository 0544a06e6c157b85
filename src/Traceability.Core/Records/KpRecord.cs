using Traceability.Core.Hashing;
using Traceability.Core.Primitives;

namespace Traceability.Core.Records;

/// <summary>
/// A KP record. Its identity on-chain is its EIP-712 struct hash (<see cref="Hash"/>), which the
/// contract, this library and any standard EIP-712 implementation compute alike. Every record
/// carries a random salt so that low-entropy fields cannot be guessed from the hash.
/// </summary>
public abstract record KpRecord
{
    /// <summary>The current JSON schema version.</summary>
    public const int SchemaVersion = 1;

    /// <summary>What kind of record this is.</summary>
    public abstract RecordKind Kind { get; }

    /// <summary>The record as an EIP-712 struct value of <see cref="RecordSchema.Schema"/>.</summary>
    public abstract Eip712Struct ToEip712();

    /// <summary>The record's EIP-712 struct hash: what goes on-chain.</summary>
    public virtual Hash32 Hash() => Eip712Encoder.HashStruct(RecordSchema.Schema, ToEip712());
}
