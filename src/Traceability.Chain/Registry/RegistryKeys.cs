using Traceability.Core.Participants;
using Traceability.Core.Primitives;

namespace Traceability.Chain.Registry;

/// <summary>
/// The storage keys the registry derives (so a certificate number belongs to its exporter and an
/// anchor root to its participant), and the log topic of an indexed participant code.
/// </summary>
public static class RegistryKeys
{
    /// <summary>keccak256(abi.encode(exporter, numberHash)): where the registry keeps a certificate (and its flag).</summary>
    public static Hash32 Certificate(ParticipantCode exporter, Hash32 numberHash) => Pair(exporter, numberHash);

    /// <summary>keccak256(abi.encode(participant, root)): where the registry keeps a batch anchor (and its flag).</summary>
    public static Hash32 Anchor(ParticipantCode participant, Hash32 root) => Pair(participant, root);

    /// <summary>The 32-byte log topic of an indexed bytes2 participant code (left-aligned).</summary>
    public static Hash32 Topic(ParticipantCode code)
    {
        Span<byte> word = stackalloc byte[32];
        code.ToBytes().CopyTo(word);
        return Hash32.FromBytes(word);
    }

    private static Hash32 Pair(ParticipantCode code, Hash32 value)
    {
        Span<byte> buffer = stackalloc byte[64];
        code.ToBytes().CopyTo(buffer);
        value.CopyTo(buffer[32..]);
        return Keccak.Hash(buffer);
    }
}
