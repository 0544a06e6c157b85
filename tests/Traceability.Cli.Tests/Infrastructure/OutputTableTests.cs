using Traceability.Cli.Infrastructure;

namespace Traceability.Cli.Tests.Infrastructure;

/// <summary>kp's tables: long text is cut to the column width, hashes and addresses never are.</summary>
[Trait("Category", "Fast")]
public class OutputTableTests
{
    private const string TxHash = "0x9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    [Fact]
    public void A_transaction_hash_is_printed_whole_in_any_column_and_long_text_is_cut()
    {
        using var w = new StringWriter();
        var text = new string('x', 80);
        Output.WriteTable(w, ["TX", "NOTE", "LAST"], [["short", text, "end"], [TxHash, "n", "end"]]);
        var lines = w.ToString().Split('\n');
        Assert.Contains(TxHash + "  ", lines[3]);
        Assert.Contains(new string('x', Output.MaxCellWidth - 1) + "…", lines[2]);
        Assert.DoesNotContain(new string('x', Output.MaxCellWidth), lines[2]);
        Assert.Equal(lines[2].IndexOf("end", StringComparison.Ordinal), lines[3].IndexOf("end", StringComparison.Ordinal)); // still aligned
    }

    [Theory]
    [InlineData(TxHash, true)]
    [InlineData("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", true)]
    [InlineData("0x", false)]
    [InlineData("0xnot-hex", false)]
    [InlineData("a sentence that is long", false)]
    public void Hash_like_cells_are_0x_and_hex_digits(string cell, bool hashLike) => Assert.Equal(hashLike, Output.IsHashLike(cell));
}
