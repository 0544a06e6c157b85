using Nethereum.Util;
using Traceability.Core.Primitives;

namespace Traceability.Core.Tests.Primitives;

/// <summary>The span-based Keccak-256 gives Ethereum's values: known hashes, and Nethereum's on every length around the 136-byte block.</summary>
[Trait("Category", "Fast")]
public class Keccak256Tests
{
    [Theory]
    [InlineData("", "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [InlineData("abc", "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")]
    public void Known_values(string text, string expected) => Assert.Equal(expected, Keccak.Hash(text).ToString());

    [Fact]
    public void Equals_Nethereums_Keccak_on_every_length_up_to_three_blocks()
    {
        var random = new Random(7);
        for (var length = 0; length <= 3 * 136 + 1; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(Convert.ToHexStringLower(Sha3Keccack.Current.CalculateHash(data)), Convert.ToHexStringLower(Keccak.Hash(data).ToArray()));
        }
    }
}
