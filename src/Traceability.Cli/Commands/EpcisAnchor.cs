using System.Globalization;
using Traceability.Cli.Infrastructure;
using Traceability.Core.Epcis;
using Traceability.Core.Merkle;
using Traceability.Core.Primitives;

namespace Traceability.Cli.Commands;

/// <summary>
/// An EPCIS document as an anchored batch (kp anchor --epcis): the leaves are its events' Event Hash IDs (their
/// SHA-256 digests) in document order, in an OpenZeppelin-compatible Merkle tree, as kp anchor builds any batch.
/// </summary>
internal static class EpcisAnchor
{
    /// <summary>The root, the event's leaf and its proof, for kp anchor check --epcis &lt;document&gt; &lt;event index&gt;.</summary>
    public static (Hash32 Root, Hash32 Leaf, IReadOnlyList<Hash32> Proof, EpcisEventHash Event) Proof(FileInfo document, string? indexText, bool rootLeafOrProofGiven)
    {
        if (rootLeafOrProofGiven) throw new CliUsageException("--epcis: give the document and the event's index only (kp computes the root, the leaf and the proof)", "--epcis");
        var hashes = EpcisCommands.HashesOf(document);
        if (!int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= hashes.Count)
        {
            throw new CliUsageException($"event index: '{indexText}' is not the place of an event of {document.Name} (0 to {hashes.Count - 1})", "event index");
        }
        var tree = StandardMerkleTree.Of([.. hashes.Select(h => h.Digest)]);
        return (tree.Root, hashes[index].Digest, tree.GetProof(index), hashes[index]);
    }
}
