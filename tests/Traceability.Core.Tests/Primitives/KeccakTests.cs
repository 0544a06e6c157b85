using System.Text;
using Nethereum.Util;
using Traceability.Core.Primitives;

namespace Traceability.Core.Tests.Primitives;

/// <summary>The allocation-free Keccak-256 against known digests and Nethereum's, at every length around the rate.</summary>
[Trait("Category", "Fast")]
public class KeccakTests
{
    [Fact]
    public void Gives_the_known_digests_of_Ethereum()
    {
        Assert.Equal("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Keccak.Hash(ReadOnlySpan<byte>.Empty).ToString());
        Assert.Equal("0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45", Keccak.Hash("abc").ToString());
        // the selector of transfer(address,uint256)
        Assert.StartsWith("0xa9059cbb", Keccak.Hash("transfer(address,uint256)").ToString());
    }

    [Fact]
    public void Equals_Nethereum_at_every_length_up_to_three_blocks_and_beyond()
    {
        var random = new Random(11);
        foreach (var length in Enumerable.Range(0, 420).Concat([1_000, 4_096, 24_576, 100_003]))
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(Convert.ToHexStringLower(Sha3Keccack.Current.CalculateHash(data)), Keccak.Hash(data).ToString()[2..]);
        }
    }

    [Fact]
    public void Hashes_strings_as_their_UTF8_bytes_long_or_short()
    {
        foreach (var text in new[] { "Berbérati", "", new string('é', 2_000) })
        {
            Assert.Equal(Keccak.Hash(Encoding.UTF8.GetBytes(text)), Keccak.Hash(text));
        }
        var many = Enumerable.Range(0, 40).Select(i => Keccak.Hash(i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(Keccak.Hash(many.SelectMany(h => h.ToArray()).ToArray()), Keccak.HashConcat(many));
    }
}
