using Traceability.Core.Primitives;

namespace Traceability.Core.Tests.Primitives;

[Trait("Category", "Fast")]
public class Hash32Tests
{
    private const string Sample = "0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    [Fact]
    public void Round_trips_hex_in_lower_case()
    {
        var h = Hash32.Parse(Sample.ToUpperInvariant().Replace("0X", "0x"));
        Assert.Equal(Sample, h.ToString());
        Assert.Equal(Convert.FromHexString(Sample[2..]), h.ToArray());
        Assert.Equal(h, Hash32.FromBytes(h.ToArray()));
        Assert.Equal(Convert.FromHexString(Sample[2..42]), h.First20Bytes());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0x1234")]
    [InlineData("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00")]
    [InlineData("0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeefg")]
    public void Refuses_what_is_not_0x_and_64_hex_digits(string? text)
    {
        Assert.False(Hash32.TryParse(text, out _));
        Assert.Contains("64 hex digits", Assert.Throws<FormatException>(() => Hash32.Parse(text)).Message);
    }

    [Fact]
    public void Orders_as_an_unsigned_big_endian_number_like_the_contract()
    {
        var small = Hash32.Parse("0x" + new string('0', 63) + "1");
        var middle = Hash32.Parse("0x7f" + new string('f', 62));
        var large = Hash32.Parse("0x80" + new string('0', 62));
        Assert.True(small < middle && middle < large);
        Assert.Equal(new[] { small, middle, large }, new[] { large, small, middle }.Order());
        Assert.True(Hash32.Zero.IsZero);
        Assert.False(small.IsZero);
    }

    [Fact]
    public void Salts_are_random_and_never_zero()
    {
        var salts = Enumerable.Range(0, 100).Select(_ => Salt.New()).ToList();
        Assert.Equal(100, salts.Distinct().Count());
        Assert.DoesNotContain(salts, s => s.IsZero);
    }

    [Fact]
    public void Keccak_matches_known_vectors()
    {
        Assert.Equal("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Keccak.Hash([]).ToString());
        Assert.Equal("0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45", Keccak.Hash("abc").ToString());
    }
}
