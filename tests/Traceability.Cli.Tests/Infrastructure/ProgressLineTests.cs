using Traceability.Cli.Infrastructure;
using Traceability.Lab;

namespace Traceability.Cli.Tests.Infrastructure;

/// <summary>Long commands say how far they are and about how long is left: one line in place on a terminal, plain lines in logs; the demo's summary never cuts a step.</summary>
[Trait("Category", "Fast")]
public class ProgressLineTests
{
    private const string Clear = "\r\u001b[2K";

    [Theory]
    [InlineData(0, 100, 0, "0 of 100 records (0%)")]
    [InlineData(25, 100, 10, "25 of 100 records (25%), about 30 s left")]
    [InlineData(1_000, 20_000, 60, "1,000 of 20,000 records (5%), about 19 min 0 s left")]
    [InlineData(100, 100, 60, "100 of 100 records (100%)")]
    [InlineData(31, 30, 60, "31 of 31 records (100%)")]
    public void The_estimate_is_the_pace_so_far_applied_to_what_is_left(long done, long total, int seconds, string expected)
    {
        Assert.Equal(expected, ProgressLine.Describe(new WorkProgress("records", done, total), TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void A_resumed_run_is_paced_by_the_work_it_did_itself()
    {
        // 600 of 1,000 were found done; 100 more in 10 s: 300 left at that pace is 30 s, not 5 s
        Assert.Equal("700 of 1,000 records (70%), about 30 s left", ProgressLine.Describe(new WorkProgress("records", 700, 1_000, 600), TimeSpan.FromSeconds(10)));
        Assert.Equal("600 of 1,000 records (60%)", ProgressLine.Describe(new WorkProgress("records", 600, 1_000, 600), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_new_unit_of_work_is_paced_from_its_own_first_report()
    {
        var target = new StringWriter();
        var now = TimeSpan.Zero;
        using (var progress = new ProgressLine(target, terminal: false, () => now))
        {
            now = TimeSpan.FromSeconds(100);
            progress.Report(new WorkProgress("records anchored", 1_000, 1_000));
            now = TimeSpan.FromSeconds(400); // an index read, say, before the first certificate
            progress.Report(new WorkProgress("certificates verified", 10, 100));
            now = TimeSpan.FromSeconds(410);
            progress.Report(new WorkProgress("certificates verified", 20, 100));
        }
        var lines = target.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(["1,000 of 1,000 records anchored (100%)",
            "10 of 100 certificates verified (10%)", "20 of 100 certificates verified (20%), about 1 min 20 s left"], lines);
    }

    [Fact]
    public void On_a_terminal_one_line_is_redrawn_and_the_command_s_lines_scroll_above_it()
    {
        var target = new StringWriter();
        var now = TimeSpan.Zero;
        using (var progress = new ProgressLine(target, terminal: true, () => now))
        {
            progress.Writer.WriteLine("  ✓ step one");
            now = TimeSpan.FromSeconds(10);
            progress.Report(new WorkProgress("steps", 1, 3));
            progress.Writer.WriteLine("  ✓ step two");
            now = TimeSpan.FromSeconds(20);
            progress.Report(new WorkProgress("steps", 2, 3));
        }
        var text = target.ToString();
        Assert.Equal("  ✓ step one\n"
            + "1 of 3 steps (33%), about 20 s left"
            + Clear + "  ✓ step two\n" + "1 of 3 steps (33%), about 20 s left"
            + Clear + "2 of 3 steps (66%), about 10 s left"
            + Clear, text.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void In_a_log_progress_is_a_plain_line_every_tenth_of_the_work()
    {
        var target = new StringWriter();
        using (var progress = new ProgressLine(target, terminal: false, () => TimeSpan.FromSeconds(1)))
        {
            Assert.Same(target, progress.Writer);
            for (var i = 1; i <= 100; i++) progress.Report(new WorkProgress("certificates", i, 100));
        }
        var lines = target.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(lines.Length, 10, 11);
        Assert.DoesNotContain('\r', target.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal("100 of 100 certificates (100%)", lines[^1].TrimEnd('\r'));
    }

    [Fact]
    public void The_demo_summary_never_cuts_a_step()
    {
        var step = "confirm an import two days after a one-day certificate expired, as a late authority would";
        var outcome = new string('x', 90);
        var w = new StringWriter();
        Output.WriteTable(w, ["#", "ACTOR", "STEP", "OK", "OUTCOME"], [["1", "AE authority (too late)", step, "yes", outcome], ["2", "anyone", "short", "yes", "ok"]], neverCut: [2]);
        Assert.Contains(step + "  yes  " + outcome, w.ToString());
        Assert.DoesNotContain("…", w.ToString());
        var cut = new StringWriter();
        Output.WriteTable(cut, ["STEP", "OK"], [[step, "yes"]]);
        Assert.Contains("…", cut.ToString()); // other tables still cut at 60
    }

    [Fact]
    public void ProgressLine_for_a_captured_writer_is_plain()
    {
        using var progress = ProgressLine.For(new StringWriter());
        Assert.False(progress.IsTerminal);
    }
}
