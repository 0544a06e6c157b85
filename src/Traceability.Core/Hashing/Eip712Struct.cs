namespace Traceability.Core.Hashing;

/// <summary>
/// A value of an EIP-712 struct type: its type name and its members' values in the type's
/// order. Values are <see cref="string"/>, unsigned integers (<see cref="uint"/>,
/// <see cref="ulong"/>, <see cref="System.Numerics.BigInteger"/>), participant codes (bytes2),
/// <see cref="Primitives.Hash32"/> (bytes32), account addresses as 0x strings, lists of these,
/// and nested <see cref="Eip712Struct"/> values.
/// </summary>
/// <param name="TypeName">The struct type's name.</param>
/// <param name="Values">The members' values, in the type's order.</param>
public sealed record Eip712Struct(string TypeName, IReadOnlyList<object> Values);
