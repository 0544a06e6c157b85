using Traceability.Chain.Registry;

namespace Traceability.Chain.Tests.Registry;

/// <summary>
/// The multicall's bytes[] answer read by hand: exactly what the ABI encodes (empty outputs, odd lengths, many), and a
/// FormatException, never an index error or a huge allocation, for an answer a hostile or broken node makes up.
/// </summary>
[Trait("Category", "Fast")]
public sealed class MulticallOutputTests
{
    /// <summary>The ABI encoding of <paramref name="outputs"/> as a bytes[] return value (multicall's call data without its selector).</summary>
    private static string Encoded(params byte[][] outputs) =>
        "0x" + RegistryReader.CallData(new MulticallFunction { Data = [.. outputs] })[10..];

    public static TheoryData<int[]> Lengths => new() { new[] { 0 }, new[] { 32 }, new[] { 1, 31, 33, 64, 0, 191 }, Enumerable.Repeat(192, 40).ToArray() };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Reads_every_output_the_abi_encodes(int[] lengths)
    {
        var outputs = lengths.Select((n, i) => Enumerable.Range(0, n).Select(b => (byte)(b * 7 + i)).ToArray()).ToArray();

        var read = MulticallOutput.Decode(Encoded(outputs), outputs.Length);

        Assert.Equal(outputs.Select(o => "0x" + Convert.ToHexStringLower(o)), read);
    }

    [Fact]
    public void An_answer_with_another_number_of_outputs_is_refused()
    {
        var e = Assert.Throws<FormatException>(() => MulticallOutput.Decode(Encoded([1], [2]), 3));
        Assert.Contains("2 outputs for 3 calls", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Hostile()
    {
        var good = Encoded([1, 2, 3], [4]);
        var words = Enumerable.Range(0, (good.Length - 2) / 64).Select(i => good.Substring(2 + i * 64, 64)).ToArray();
        string With(int word, string value) => "0x" + string.Concat(words.Select((w, i) => i == word ? value : w));
        return new()
        {
            { "0x", "ends before" },
            { "", "not 0x hex" },
            { good[..^64], "runs past" }, // the last output cut short
            { good + "0", "whole bytes" },
            { good[..^2] + "zz", "not 0x hex" },
            { With(0, new string('f', 64)), "too large" }, // the array's offset
            { With(0, (0x10000).ToString("x64")), "points past" },
            { With(1, (1L << 40).ToString("x64")), "outputs for 2 calls" }, // the count
            { With(2, (0x7fffffff).ToString("x64")), "points past" }, // an item's offset
            { With(4, (0x7fffffff).ToString("x64")), "runs past" }, // an item's length
        };
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_malformed_answer_is_a_format_error(string hex, string reason)
    {
        var e = Assert.Throws<FormatException>(() => MulticallOutput.Decode(hex, 2));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mangled_answer_decodes_or_is_a_format_error_and_nothing_else()
    {
        var random = new Random(7);
        for (var n = 0; n < 20_000; n++)
        {
            var outputs = Enumerable.Range(0, 1 + random.Next(4)).Select(_ => new byte[random.Next(70)]).ToArray();
            var bytes = Convert.FromHexString(Encoded(outputs)[2..]);
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                var at = random.Next(bytes.Length);
                bytes[at] = random.Next(3) switch { 0 => 0xff, 1 => (byte)random.Next(256), _ => (byte)(bytes[at] + 32) };
            }
            if (random.Next(4) == 0) bytes = bytes[..random.Next(bytes.Length)];
            try
            {
                MulticallOutput.Decode("0x" + Convert.ToHexStringLower(bytes), outputs.Length);
            }
            catch (FormatException)
            {
                // refused: the only failure a hostile answer may cause
            }
        }
    }
}
