namespace Traceability.Lab.Statistics;

/// <summary>A participant's production as computed against the public figure it should equal.</summary>
/// <param name="Participant">The participant.</param>
/// <param name="Carats">Production computed by kp stats, carats.</param>
/// <param name="PublishedCarats">The public figure, carats.</param>
/// <param name="ValueUsd">Production value computed, US$.</param>
/// <param name="PublishedValueUsd">The public figure, US$.</param>
public sealed record TotalsDifference(string Participant, decimal Carats, decimal PublishedCarats, decimal ValueUsd, decimal PublishedValueUsd)
{
    /// <summary>Whether carats and value are both within <paramref name="share"/> of the public figures (rounding).</summary>
    public bool Within(decimal share) => Close(Carats, PublishedCarats, share) && Close(ValueUsd, PublishedValueUsd, share);

    /// <summary>
    /// Whether carats and value equal the public figures within rounding: half a hundredth of a carat and half a cent
    /// (documents carry whole hundredths of a carat and whole cents, so a figure split into them can be off by rounding only).
    /// </summary>
    public bool WithinRounding() => Math.Abs(Carats - PublishedCarats) <= 0.005m && Math.Abs(ValueUsd - PublishedValueUsd) <= 0.005m;

    private static bool Close(decimal a, decimal b, decimal share) => Math.Abs(a - b) <= share * Math.Max(Math.Abs(a), Math.Abs(b));
}

/// <summary>
/// The totals test of a replayed year: the production kp stats computes (index + documents) for each
/// participant, against the public figures the year was built from. Point it at any index and
/// documents folder (<see cref="TradeStatistics.Compute"/>), such as a replay's output.
/// </summary>
public static class TotalsCheck
{
    /// <summary>One line per participant of <paramref name="participants"/> (default: every participant with a public figure for <paramref name="year"/> and production in the report).</summary>
    public static IReadOnlyList<TotalsDifference> AgainstPublished(StatisticsReport report, int year, IEnumerable<string>? participants = null)
    {
        var lines = report.Lines.Where(l => l.Period == new Period(year, 0)).ToDictionary(l => l.Participant);
        var codes = participants?.ToList()
            ?? [.. lines.Values.Where(l => l.PublishedProduction is not null && l.Production.Count > 0).Select(l => l.Participant)];
        return [.. codes.Select(c =>
        {
            var line = lines.GetValueOrDefault(c);
            var published = line?.PublishedProduction;
            return new TotalsDifference(c, line?.Production.Carats ?? 0, published?.Carats ?? 0, line?.Production.ValueUsd ?? 0, published?.ValueUsd ?? 0);
        })];
    }
}
