using System.Text.Json;
using Traceability.Core.Merkle;
using Traceability.Core.Primitives;
using Traceability.Testing;

namespace Traceability.Core.Tests.Merkle;

[Trait("Category", "Fast")]
public class StandardMerkleTreeTests
{
    [Fact]
    public async Task Equals_OpenZeppelin_merkle_tree_for_1_to_64_leaves_root_and_every_proof()
    {
        var lists = Enumerable.Range(1, 64).Select(n => Enumerable.Range(0, n).Select(_ => Salt.New()).ToList()).ToList();
        var json = JsonSerializer.Serialize(lists.Select(l => l.Select(h => h.ToString())));
        var output = JsonDocument.Parse(await NodeScript.RunAsync("tests/tools/merkle.js", json)).RootElement;
        for (var n = 0; n < lists.Count; n++)
        {
            var tree = StandardMerkleTree.Of(lists[n]);
            var expected = output[n];
            Assert.Equal(expected.GetProperty("root").GetString(), tree.Root.ToString());
            var proofs = expected.GetProperty("proofs");
            for (var i = 0; i < lists[n].Count; i++)
            {
                Assert.Equal(proofs[i].EnumerateArray().Select(p => p.GetString()), tree.GetProof(i).Select(p => p.ToString()));
                Assert.True(StandardMerkleTree.Verify(tree.Root, lists[n][i], tree.GetProof(i)));
            }
        }
    }

    [Fact]
    public void A_proof_does_not_prove_another_leaf_or_another_root()
    {
        var leaves = Enumerable.Range(0, 9).Select(_ => Salt.New()).ToList();
        var tree = StandardMerkleTree.Of(leaves);
        Assert.False(StandardMerkleTree.Verify(tree.Root, leaves[1], tree.GetProof(0)));
        Assert.False(StandardMerkleTree.Verify(Salt.New(), leaves[0], tree.GetProof(0)));
        Assert.False(StandardMerkleTree.Verify(tree.Root, Salt.New(), tree.GetProof(0)));
    }

    [Fact]
    public void Refuses_an_empty_tree_and_an_index_outside_it()
    {
        Assert.Throws<ArgumentException>(() => StandardMerkleTree.Of([]));
        var tree = StandardMerkleTree.Of([Salt.New()]);
        Assert.Empty(tree.GetProof(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.GetProof(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.GetProof(-1));
    }
}
