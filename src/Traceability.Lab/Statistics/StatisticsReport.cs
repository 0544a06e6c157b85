namespace Traceability.Lab.Statistics;

/// <summary>A flow: weight, value and their ratio.</summary>
/// <param name="Carats">Carats.</param>
/// <param name="ValueUsd">US$.</param>
/// <param name="Count">Documents counted (origin parcels, certificates, confirmations).</param>
public sealed record Flow(decimal Carats, decimal ValueUsd, int Count)
{
    /// <summary>Nothing.</summary>
    public static Flow Zero { get; } = new(0, 0, 0);

    /// <summary>US$ per carat (0 when no carats).</summary>
    public decimal UsdPerCarat => Carats == 0 ? 0 : Math.Round(ValueUsd / Carats, 2);

    /// <summary>This flow plus <paramref name="carats"/> and <paramref name="value"/>.</summary>
    public Flow Plus(decimal carats, decimal value) => new(Carats + carats, ValueUsd + value, Count + 1);

    /// <summary>The sum of two flows.</summary>
    public Flow Plus(Flow other) => new(Carats + other.Carats, ValueUsd + other.ValueUsd, Count + other.Count);
}

/// <summary>A period of the Working Group's tables: a year, or its first or second half.</summary>
/// <param name="Year">The year.</param>
/// <param name="Half">0 for the whole year, 1 or 2 for a half.</param>
public readonly record struct Period(int Year, int Half) : IComparable<Period>
{
    /// <summary>Such as 2023, 2023-H1.</summary>
    public override string ToString() => Half == 0 ? $"{Year}" : $"{Year}-H{Half}";

    /// <summary>The half-year of a Unix time (UTC).</summary>
    public static Period HalfOf(ulong unixSeconds)
    {
        var t = DateTimeOffset.FromUnixTimeSeconds((long)Math.Min(unixSeconds, 253_402_300_799UL));
        return new Period(t.Year, t.Month <= 6 ? 1 : 2);
    }

    /// <summary>The whole year this period belongs to.</summary>
    public Period WholeYear => new(Year, 0);

    /// <inheritdoc />
    public int CompareTo(Period other) => (Year, Half).CompareTo((other.Year, other.Half));
}

/// <summary>One participant's line in one period: production, exports and imports.</summary>
/// <param name="Participant">The participant.</param>
/// <param name="Period">The year or half-year.</param>
/// <param name="Production">Origin parcels registered (their documents' weight and value).</param>
/// <param name="Exports">Certificates issued, not voided.</param>
/// <param name="Imports">Certificates whose import the participant confirmed.</param>
/// <param name="PublishedProduction">The public production figure for the year (year lines only), when listed.</param>
public sealed record ParticipantLine(string Participant, Period Period, Flow Production, Flow Exports, Flow Imports, PublishedProduction? PublishedProduction);

/// <summary>Mirror statistics of one pair in one year: what A declared exported to B against what B confirmed importing from A.</summary>
/// <param name="Exporter">A.</param>
/// <param name="Importer">B.</param>
/// <param name="Year">The year (of the certificate for exports, of the confirmation for imports).</param>
/// <param name="Exported">Certificates A issued to B (not voided).</param>
/// <param name="Confirmed">Imports B confirmed from A (weight as confirmed).</param>
/// <param name="Unconfirmed">Certificates A issued to B that B has not confirmed.</param>
/// <param name="DifferenceCarats">Exported minus confirmed carats.</param>
/// <param name="Flagged">Whether the pair is a discrepancy (<see cref="StatisticsOptions.MirrorTolerance"/>).</param>
public sealed record MirrorLine(string Exporter, string Importer, int Year, Flow Exported, Flow Confirmed, int Unconfirmed, decimal DifferenceCarats, bool Flagged);

/// <summary>A shipment valued far from its exporter's public average.</summary>
/// <param name="Exporter">The exporter.</param>
/// <param name="Importer">The importer.</param>
/// <param name="NumberHash">keccak256 of the certificate number (its key on chain; the number itself stays with the document's holder).</param>
/// <param name="Year">The certificate's year.</param>
/// <param name="Carats">Its weight.</param>
/// <param name="ValueUsd">Its value.</param>
/// <param name="UsdPerCarat">Its US$/ct.</param>
/// <param name="PublicUsdPerCarat">The exporter's published average.</param>
/// <param name="PublicYear">The year of that average.</param>
/// <param name="Ratio">Its US$/ct over the average.</param>
public sealed record ValuationOutlier(string Exporter, string Importer, string NumberHash, int Year, decimal Carats, decimal ValueUsd, decimal UsdPerCarat,
    decimal PublicUsdPerCarat, int PublicYear, decimal Ratio);

/// <summary>What was read: documents by what became of them, and the index.</summary>
/// <param name="Files">Files read.</param>
/// <param name="Documents">KP documents parsed.</param>
/// <param name="Counted">Documents counted in a table.</param>
/// <param name="NotOnChain">Documents whose record the index does not hold (not anchored, or another registry).</param>
/// <param name="Altered">Certificates and confirmations whose number is on chain with another hash.</param>
/// <param name="Voided">Certificates voided on chain (left out).</param>
/// <param name="Skipped">Files that are not KP documents (or not regular files, or too large).</param>
/// <param name="IndexedTo">The last block of the index.</param>
public sealed record StatisticsInputs(int Files, int Documents, int Counted, int NotOnChain, int Altered, int Voided, int Skipped, ulong IndexedTo);

/// <summary>The Working Group's tables computed from an index and a folder of documents.</summary>
/// <param name="Year">The year asked for (null: every year found).</param>
/// <param name="Inputs">What was read.</param>
/// <param name="Lines">Lines by participant and period (years, then halves), participants in code order.</param>
/// <param name="Totals">Totals by period.</param>
/// <param name="Mirror">Mirror statistics by pair and year.</param>
/// <param name="Outliers">Valuation outliers, largest deviation first.</param>
/// <param name="Options">The thresholds used.</param>
public sealed record StatisticsReport(int? Year, StatisticsInputs Inputs, IReadOnlyList<ParticipantLine> Lines, IReadOnlyList<ParticipantLine> Totals,
    IReadOnlyList<MirrorLine> Mirror, IReadOnlyList<ValuationOutlier> Outliers, StatisticsOptions Options);

/// <summary>What kp stats computes and how it judges.</summary>
/// <param name="Year">Only this year (null: every year found).</param>
/// <param name="OutlierFactor">A shipment is an outlier when its US$/ct is more than this many times its exporter's published average, or less than its inverse.</param>
/// <param name="MirrorTolerance">A pair is a discrepancy when the carats declared and confirmed differ by more than this share of the larger, or a certificate is unconfirmed.</param>
public sealed record StatisticsOptions(int? Year = null, decimal OutlierFactor = 3m, decimal MirrorTolerance = 0.005m);
