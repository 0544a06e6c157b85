using Nethereum.Util;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Core.Merkle;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Portal.Hosting;

namespace Traceability.Portal.Chain;

/// <summary>What is asked of an anchored batch: its root and, optionally, one EPCIS event with its proof.</summary>
/// <param name="Root">The batch's Merkle root.</param>
/// <param name="EventHashId">The event's EPCIS Event Hash ID (ni:///sha-256;…?ver=CBV2.0, lower-case hex), when asked.</param>
/// <param name="Proof">The event's proof, sibling nodes from leaf to root (empty without an event, or for a batch of one).</param>
public sealed record AnchorQuery(Hash32 Root, string? EventHashId, IReadOnlyList<Hash32> Proof)
{
    /// <summary>The leaf the event is in the batch as: the SHA-256 digest its hash ID names (null without an event).</summary>
    public Hash32? Leaf => EventHashId is null ? null : Hash32.Parse("0x" + EventHashId[AnchorLookup.HashIdPrefix.Length..^AnchorLookup.HashIdSuffix.Length]);

    /// <summary>Whether the event's leaf with the proof reproduces the root (the registry's rule, OpenZeppelin's StandardMerkleTree); null without an event.</summary>
    public bool? ProofMatches => Leaf is { } leaf ? StandardMerkleTree.Verify(Root, leaf, Proof) : null;
}

/// <summary>One participant's anchor of a root, as its BatchAnchored event and the registry's anchor view tell it.</summary>
/// <param name="Participant">The anchoring member's participant (anchors are kept under participant and root).</param>
/// <param name="Registrant">The anchoring member's account (EIP-55).</param>
/// <param name="LeafCount">Leaves declared.</param>
/// <param name="AnchoredAt">When, Unix seconds.</param>
/// <param name="Flag">Governance's flag of the anchor.</param>
/// <param name="Mark">The transaction and block of its BatchAnchored event.</param>
/// <param name="Included">Whether the registry's isAnchored says the event is in this participant's batch (null without an event).</param>
public sealed record AnchorFound(ParticipantCode Participant, string Registrant, uint LeafCount, ulong AnchoredAt, RecordFlag Flag, EventMark Mark, bool? Included);

/// <summary>An anchor lookup: the query, every participant's anchor of the root, and the block read.</summary>
/// <param name="Query">What was asked.</param>
/// <param name="Anchors">The anchors of the root (none: not anchored on this registry), oldest first.</param>
/// <param name="Block">The block read.</param>
/// <param name="BlockTime">Its time, Unix seconds.</param>
public sealed record AnchorLookupResult(AnchorQuery Query, IReadOnlyList<AnchorFound> Anchors, ulong Block, ulong BlockTime)
{
    /// <summary>Whether some participant anchored the root.</summary>
    public bool Anchored => Anchors.Count > 0;

    /// <summary>Whether the event is in an anchored batch: anchored, and the registry accepts its leaf and proof (null without an event).</summary>
    public bool? Included => Query.EventHashId is null ? null : Anchors.Any(a => a.Included == true);
}

/// <summary>Looks anchored batches up by root (the BatchAnchored events, then each participant's anchor view, pinned to one block).</summary>
public sealed class AnchorLookup(PortalChain chain)
{
    /// <summary>The start of an EPCIS Event Hash ID.</summary>
    public const string HashIdPrefix = "ni:///sha-256;";

    /// <summary>The end of an EPCIS Event Hash ID (CBV 2.0).</summary>
    public const string HashIdSuffix = "?ver=CBV2.0";

    /// <summary>Most proof nodes accepted: a batch holds at most 2^32 leaves (leafCount is a uint32).</summary>
    public const int MaxProofNodes = 32;

    /// <summary>
    /// Parses the parts of a lookup; a bad one is a <see cref="PortalInputException"/> naming it. The event is its Event Hash ID
    /// or the 0x digest it names; the proof is 0x nodes separated by commas (absent or empty: a batch of one).
    /// </summary>
    public static AnchorQuery Parse(string root, string? @event, string? proof)
    {
        if (!Hash32.TryParse(root, out var r)) throw new PortalInputException("root", $"'{Cut(root)}' is not a Merkle root (0x and 64 hex digits)");
        string? hashId = null;
        if (!string.IsNullOrEmpty(@event)) hashId = HashId(@event);
        var nodes = new List<Hash32>();
        if (!string.IsNullOrWhiteSpace(proof))
        {
            if (hashId is null) throw new PortalInputException("event", "is missing: a proof proves an event; give the event's hash ID with it");
            var parts = proof.Split(',');
            if (parts.Length > MaxProofNodes) throw new PortalInputException("proof", $"holds {parts.Length} nodes; a proof has at most {MaxProofNodes}");
            for (var i = 0; i < parts.Length; i++)
            {
                if (!Hash32.TryParse(parts[i].Trim(), out var node)) throw new PortalInputException("proof", $"node {i} ('{Cut(parts[i])}') is not 0x and 64 hex digits");
                nodes.Add(node);
            }
        }
        return new AnchorQuery(r, hashId, nodes);
    }

    /// <summary>An event given as its Event Hash ID or as the 0x digest it names, as the Event Hash ID (lower-case hex).</summary>
    private static string HashId(string text)
    {
        var t = text.Trim();
        var hex = Hash32.TryParse(t, out var digest) ? digest.ToString()[2..]
            : t.StartsWith(HashIdPrefix, StringComparison.OrdinalIgnoreCase) && t.EndsWith(HashIdSuffix, StringComparison.Ordinal)
                && t.Length == HashIdPrefix.Length + 64 + HashIdSuffix.Length ? t[HashIdPrefix.Length..^HashIdSuffix.Length] : null;
        if (hex is null || hex.AsSpan().ContainsAnyExcept("0123456789abcdefABCDEF"))
        {
            throw new PortalInputException("event", $"'{Cut(text)}' is not an EPCIS Event Hash ID ({HashIdPrefix}<64 hex digits>{HashIdSuffix}) nor its 0x digest");
        }
        return HashIdPrefix + hex.ToLowerInvariant() + HashIdSuffix;
    }

    /// <summary>Reads every anchor of the query's root and, with an event, whether the registry accepts its leaf and proof.</summary>
    public Task<AnchorLookupResult> LookupAsync(AnchorQuery query, CancellationToken aborted) =>
        chain.ReadAsync(async ct =>
        {
            var head = ChainRpc.Quantity(await chain.Rpc.RequestAsync(new RpcCall("eth_blockNumber"), ct).ConfigureAwait(false));
            var events = chain.Reader.Batch(ChainRpc.Hex(head));
            var header = events.Header();
            var logs = events.Logs<BatchAnchoredEvent>([query.Root], chain.FromBlock);
            await events.SendAsync(ct).ConfigureAwait(false);

            // one anchor per participant and root: the first event of each participant is its anchor
            var first = logs.Value.OrderBy(l => (l.BlockNumber, l.LogIndex))
                .Select(l => (Code: AbiValues.Code(l.Event.Participant), Log: l)).Where(x => x.Code is not null)
                .DistinctBy(x => x.Code).ToList();
            var views = chain.Reader.Batch(events.Block);
            var states = first.Select(x => views.Call<AnchorFunction, AnchorOutput, AnchorDto>(new() { Participant = x.Code!.Value.ToBytes(), Root = query.Root.ToArray() }, o => o.Anchor)).ToList();
            var included = query.Leaf is { } leaf
                ? first.Select(x => views.Call<IsAnchoredFunction, BoolOutput, bool>(new()
                {
                    Participant = x.Code!.Value.ToBytes(),
                    Root = query.Root.ToArray(),
                    Leaf = leaf.ToArray(),
                    Proof = AbiValues.Bytes32(query.Proof),
                }, o => o.Value)).ToList()
                : null;
            if (views.Count > 0) await views.SendAsync(ct).ConfigureAwait(false);
            var times = await chain.History.BlockTimesAsync(first.Select(x => x.Log.BlockNumber), ct).ConfigureAwait(false);
            var anchors = new List<AnchorFound>();
            for (var i = 0; i < first.Count; i++)
            {
                var (code, log) = first[i];
                var state = states[i].Value;
                if (state.Registrant == 0) continue; // not in the view: not an anchor
                anchors.Add(new AnchorFound(code!.Value, AddressUtil.Current.ConvertToChecksumAddress(log.Event.Registrant), state.LeafCount, state.AnchoredAt,
                    (RecordFlag)state.Flag, new EventMark(log.TransactionHash, log.BlockNumber, times[log.BlockNumber], log.LogIndex), included?[i].Value));
            }
            return new AnchorLookupResult(query, anchors, header.Value.Number, header.Value.Timestamp);
        }, aborted);

    private static string Cut(string s) => s.Length > 80 ? s[..80] + "…" : s;
}
