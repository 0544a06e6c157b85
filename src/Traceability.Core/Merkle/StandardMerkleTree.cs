using Traceability.Core.Primitives;

namespace Traceability.Core.Merkle;

/// <summary>
/// OpenZeppelin's StandardMerkleTree for leaves of type <c>bytes32</c>, node for node: leaf
/// hash keccak256(keccak256(abi.encode(value))), leaves sorted ascending, stored from the end
/// of a complete binary tree array, nodes hashed as a sorted pair. The registry's
/// <c>isAnchored</c> (OpenZeppelin MerkleProof) verifies its proofs.
/// </summary>
public sealed class StandardMerkleTree
{
    private readonly Hash32[] _tree;
    private readonly int[] _treeIndexOfValue;

    private StandardMerkleTree(IReadOnlyList<Hash32> values)
    {
        if (values.Count == 0) throw new ArgumentException("a Merkle tree needs at least one leaf", nameof(values));
        Values = [.. values];
        var leaves = values.Select((v, i) => (Hash: LeafHash(v), Index: i)).OrderBy(l => l.Hash).ToArray();
        _tree = new Hash32[2 * leaves.Length - 1];
        _treeIndexOfValue = new int[values.Count];
        for (var i = 0; i < leaves.Length; i++)
        {
            var treeIndex = _tree.Length - 1 - i;
            _tree[treeIndex] = leaves[i].Hash;
            _treeIndexOfValue[leaves[i].Index] = treeIndex;
        }
        for (var i = _tree.Length - 1 - leaves.Length; i >= 0; i--)
        {
            _tree[i] = NodeHash(_tree[2 * i + 1], _tree[2 * i + 2]);
        }
    }

    /// <summary>The tree of <paramref name="values"/> (in the order given; proofs are by that index).</summary>
    public static StandardMerkleTree Of(IReadOnlyList<Hash32> values) => new(values);

    /// <summary>The leaf values, in the order given.</summary>
    public IReadOnlyList<Hash32> Values { get; }

    /// <summary>The root the registry anchors.</summary>
    public Hash32 Root => _tree[0];

    /// <summary>The proof of the value at <paramref name="valueIndex"/>: sibling hashes from leaf to root.</summary>
    public IReadOnlyList<Hash32> GetProof(int valueIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(valueIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(valueIndex, Values.Count);
        var proof = new List<Hash32>();
        for (var i = _treeIndexOfValue[valueIndex]; i > 0; i = (i - 1) / 2)
        {
            proof.Add(_tree[i % 2 == 1 ? i + 1 : i - 1]);
        }
        return proof;
    }

    /// <summary>Whether <paramref name="proof"/> proves <paramref name="value"/> under <paramref name="root"/>.</summary>
    public static bool Verify(Hash32 root, Hash32 value, IEnumerable<Hash32> proof) =>
        proof.Aggregate(LeafHash(value), NodeHash) == root;

    /// <summary>keccak256(keccak256(abi.encode(bytes32 value))).</summary>
    public static Hash32 LeafHash(Hash32 value)
    {
        Span<byte> bytes = stackalloc byte[32];
        value.CopyTo(bytes);
        return Keccak.Hash(Keccak.Hash(bytes).ToArray());
    }

    private static Hash32 NodeHash(Hash32 a, Hash32 b) => a <= b ? Keccak.HashPair(a, b) : Keccak.HashPair(b, a);
}
