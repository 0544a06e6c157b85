using System.Numerics;
using Traceability.Core.Primitives;

namespace Traceability.Core.Hashing;

/// <summary>
/// The registry's EIP-712 domain: name "KimberleyProcessRegistry", version "1", the chain id and
/// the registry's address. Signatures made for one chain or deployment are invalid on another.
/// </summary>
/// <param name="ChainId">The chain's id.</param>
/// <param name="VerifyingContract">The registry's address (0x, 40 hex digits).</param>
public sealed record Eip712Domain(BigInteger ChainId, string VerifyingContract)
{
    /// <summary>The registry's EIP-712 name.</summary>
    public const string Name = "KimberleyProcessRegistry";

    /// <summary>The registry's EIP-712 version.</summary>
    public const string Version = "1";

    /// <summary>The EIP712Domain type the registry uses.</summary>
    public static readonly Eip712StructType Type = new("EIP712Domain",
    [
        new("name", "string"), new("version", "string"), new("chainId", "uint256"), new("verifyingContract", "address"),
    ]);

    private static readonly Eip712Schema Schema = new(Type);

    /// <summary>hashStruct(domain).</summary>
    public Hash32 Separator() =>
        Eip712Encoder.HashStruct(Schema, new Eip712Struct(Type.Name, [Name, Version, ChainId, VerifyingContract]));
}
