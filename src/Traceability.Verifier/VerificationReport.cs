using System.Numerics;
using Traceability.Chain.Registry;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Verifier.Policy;

namespace Traceability.Verifier;

/// <summary>One parcel of a lineage and the parcels it was made from.</summary>
/// <param name="Parcel">The parcel's hash.</param>
/// <param name="State">Its on-chain state.</param>
/// <param name="Transformation">The transformation that produced it (null for an origin parcel or when unknown).</param>
/// <param name="Parents">The parcels that transformation consumed.</param>
/// <param name="RegisteredIn">For an origin parcel: the participant that registered it (its country of origin).</param>
/// <param name="Document">The parcel's document, if it was given.</param>
/// <remarks>
/// The lineage is a graph, not a tree: sibling outputs share their parents, and a parcel shared
/// by several descendants is one node. Walk it with a visited set (as <see cref="Origins"/> does);
/// expanding it as a tree can grow exponentially with the depth.
/// </remarks>
public sealed record LineageNode(Hash32 Parcel, ParcelState State, Hash32? Transformation, IReadOnlyList<LineageNode> Parents,
    ParticipantCode? RegisteredIn, ParcelRecord? Document)
{
    private int _depth;

    /// <summary>The distinct origin parcels under this node, each visited once.</summary>
    public IEnumerable<LineageNode> Origins()
    {
        var seen = new HashSet<Hash32>();
        var stack = new Stack<LineageNode>([this]);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!seen.Add(n.Parcel)) continue;
            if (n.Parents.Count == 0)
            {
                if (n.State.IsOrigin) yield return n;
                continue;
            }
            foreach (var p in n.Parents) stack.Push(p);
        }
    }

    /// <summary>Depth of the graph under this node (1 for an origin parcel); computed once per node.</summary>
    public int Depth => _depth != 0 ? _depth : _depth = 1 + (Parents.Count == 0 ? 0 : Parents.Max(p => p.Depth));
}

/// <summary>What the verifier found.</summary>
/// <param name="Kind">The kind of document verified.</param>
/// <param name="Hash">The document's EIP-712 hash.</param>
/// <param name="Title">A short human title, for example "certificate BW2026-004711".</param>
/// <param name="Verdict">The one-word answer.</param>
/// <param name="Checks">Every check, in order.</param>
/// <param name="Lineage">The lineage of the document's parcels.</param>
/// <param name="Origins">Countries of origin found on the chain (participants that registered the origin parcels).</param>
/// <param name="RoundTrips">JSON-RPC round trips the verification took.</param>
/// <param name="CheckedAgainst">The chain id, registry and block the document was checked against.</param>
/// <param name="Missing">Documents (by hash) that would settle what is unknown, when the verdict is Inconclusive.</param>
public sealed record VerificationReport(RecordKind Kind, Hash32 Hash, string Title, Verdict Verdict, IReadOnlyList<Check> Checks,
    IReadOnlyList<LineageNode> Lineage, IReadOnlyList<ParticipantCode> Origins, long RoundTrips, ChainPoint CheckedAgainst,
    IReadOnlyList<Hash32> Missing)
{
    /// <summary>What the origin policy applied (if any) found: the parcels its rules caught and their paths.</summary>
    public PolicyOutcome? Policy { get; init; }

    /// <summary>Whether the verdict is Verified.</summary>
    public bool IsVerified => Verdict == Verdict.Verified;
}

/// <summary>Where a verification read the chain: every read of one verification is pinned to this block.</summary>
/// <param name="ChainId">The chain's id.</param>
/// <param name="Registry">The registry's address.</param>
/// <param name="BlockNumber">The block read.</param>
/// <param name="BlockHash">Its hash.</param>
/// <param name="BlockTime">Its timestamp, Unix seconds.</param>
public sealed record ChainPoint(BigInteger ChainId, string Registry, ulong BlockNumber, string BlockHash, ulong BlockTime);
