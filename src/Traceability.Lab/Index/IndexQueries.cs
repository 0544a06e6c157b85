using Microsoft.Data.Sqlite;

namespace Traceability.Lab.Index;

/// <summary>Certificates of one exporter-importer pair in one quarter (by block time).</summary>
/// <param name="Exporter">Exporting participant.</param>
/// <param name="Importer">Importing participant.</param>
/// <param name="Quarter">Such as 2023-Q2.</param>
/// <param name="Certificates">Certificates issued.</param>
/// <param name="Parcels">Parcels they carry.</param>
/// <param name="Confirmed">Of them confirmed by the importer.</param>
/// <param name="Voided">Of them voided.</param>
public sealed record PairFlow(string Exporter, string Importer, string Quarter, long Certificates, long Parcels, long Confirmed, long Voided);

/// <summary>Origin parcels registered by one participant in one quarter.</summary>
/// <param name="Participant">The producing participant.</param>
/// <param name="Quarter">Such as 2023-Q2.</param>
/// <param name="Parcels">Origin parcels registered.</param>
public sealed record OriginCount(string Participant, string Quarter, long Parcels);

/// <summary>
/// The typical questions asked of an index, as SQL over its tables. Times are block times (UTC); the
/// quarter is stored with each parcel and certificate (year * 10 + quarter) so that grouping by it reads
/// an index only.
/// </summary>
public static class IndexQueries
{
    private const string VoidedSql = """
        SELECT c.exporter, c.importer, c.quarter, count(DISTINCT v.number_hash)
        FROM voids v JOIN certificates c ON c.exporter = v.exporter AND c.number_hash = v.number_hash
        WHERE c.quarter BETWEEN $from AND $to AND ($exporter IS NULL OR c.exporter = $exporter) AND ($importer IS NULL OR c.importer = $importer)
        GROUP BY c.exporter, c.importer, c.quarter
        """;

    private const string ConfirmedSql = """
        SELECT c.exporter, c.importer, c.quarter, count(*)
        FROM confirmations f JOIN certificates c ON c.exporter = f.exporter AND c.number_hash = f.number_hash
        WHERE c.quarter BETWEEN $from AND $to AND ($exporter IS NULL OR c.exporter = $exporter) AND ($importer IS NULL OR c.importer = $importer)
        GROUP BY c.exporter, c.importer, c.quarter
        """;

    private const string FlowsSql = """
        SELECT exporter, importer, quarter, count(*), sum(parcels) FROM certificates
        WHERE quarter BETWEEN $from AND $to AND ($exporter IS NULL OR exporter = $exporter) AND ($importer IS NULL OR importer = $importer)
        GROUP BY exporter, importer, quarter ORDER BY exporter, importer, quarter
        """;

    private const string OriginsSql = """
        SELECT participant, quarter, count(*) FROM parcels
        WHERE transformation IS NULL AND quarter BETWEEN $from AND $to
        GROUP BY participant, quarter ORDER BY participant, quarter
        """;

    private const string ParcelsOfSql = """
        SELECT cp.parcel, p.participant, p.transformation FROM certificate_parcels cp LEFT JOIN parcels p ON p.hash = cp.parcel
        WHERE cp.exporter = $e AND cp.number_hash = $n
        """;

    /// <summary>The SQL of each typical query by name (the queries <see cref="Flows"/>, <see cref="Origins"/> and <see cref="ParcelsOf"/> run), for <see cref="Plan"/>.</summary>
    public static IReadOnlyList<(string Name, string Sql)> Typical { get; } =
    [
        ("flows by pair and quarter", FlowsSql),
        ("confirmed certificates by pair and quarter", ConfirmedSql),
        ("voided certificates by pair and quarter", VoidedSql),
        ("origin parcels by participant and quarter", OriginsSql),
        ("parcels of one certificate", ParcelsOfSql),
    ];

    /// <summary>How SQLite runs <paramref name="sql"/> (one of <see cref="Typical"/>) on <paramref name="store"/>: the detail lines of EXPLAIN QUERY PLAN, such as "SEARCH c USING INDEX certificates_quarter_pair (quarter&gt;? AND quarter&lt;?)".</summary>
    public static IReadOnlyList<string> Plan(IndexStore store, string sql)
    {
        using var cmd = store.Command("EXPLAIN QUERY PLAN " + sql);
        Bind(cmd, 2023, "BW", "AE");
        if (sql.Contains("$e", StringComparison.Ordinal))
        {
            cmd.Parameters.AddWithValue("$e", "BW");
            cmd.Parameters.AddWithValue("$n", new byte[32]);
        }
        using var r = cmd.ExecuteReader();
        var plan = new List<string>();
        while (r.Read()) plan.Add(r.GetString(3));
        return plan;
    }

    /// <summary>Certificates by exporter, importer and quarter, in <paramref name="year"/> (null: every year), with how many were confirmed and voided; optionally of one pair.</summary>
    public static IReadOnlyList<PairFlow> Flows(IndexStore store, int? year = null, string? exporter = null, string? importer = null)
    {
        var voided = Count(store, VoidedSql, year, exporter, importer);
        var confirmed = Count(store, ConfirmedSql, year, exporter, importer);
        using var cmd = store.Command(FlowsSql);
        Bind(cmd, year, exporter, importer);
        using var r = cmd.ExecuteReader();
        var list = new List<PairFlow>();
        while (r.Read())
        {
            var key = (r.GetString(0), r.GetString(1), r.GetInt64(2));
            list.Add(new PairFlow(key.Item1, key.Item2, IndexStore.QuarterText(key.Item3), r.GetInt64(3), r.GetInt64(4), confirmed.GetValueOrDefault(key), voided.GetValueOrDefault(key)));
        }
        return list;
    }

    /// <summary>Origin parcels (production) by participant and quarter, in <paramref name="year"/> (null: every year).</summary>
    public static IReadOnlyList<OriginCount> Origins(IndexStore store, int? year = null)
    {
        using var cmd = store.Command(OriginsSql);
        Bind(cmd, year, null, null);
        using var r = cmd.ExecuteReader();
        var list = new List<OriginCount>();
        while (r.Read()) list.Add(new OriginCount(r.GetString(0), IndexStore.QuarterText(r.GetInt64(1)), r.GetInt64(2)));
        return list;
    }

    /// <summary>The parcels a certificate carries (its key: exporter and keccak256 of the number), with each parcel's participant and transformation (null: an origin parcel).</summary>
    public static IReadOnlyList<(string Parcel, string Participant, string? Transformation)> ParcelsOf(IndexStore store, string exporter, byte[] numberHash)
    {
        using var cmd = store.Command(ParcelsOfSql);
        cmd.Parameters.AddWithValue("$e", exporter);
        cmd.Parameters.AddWithValue("$n", numberHash);
        using var r = cmd.ExecuteReader();
        var list = new List<(string, string, string?)>();
        while (r.Read()) list.Add((IndexStore.Hex((byte[])r[0]), r.IsDBNull(1) ? "" : r.GetString(1), r.IsDBNull(2) ? null : IndexStore.Hex((byte[])r[2])));
        return list;
    }

    /// <summary>The key of some certificate of the index (exporter and number hash), or null when it holds none.</summary>
    public static (string Exporter, byte[] NumberHash)? AnyCertificate(IndexStore store)
    {
        using var cmd = store.Command("SELECT exporter, number_hash FROM certificates LIMIT 1");
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetString(0), (byte[])r[1]) : null;
    }

    private static Dictionary<(string, string, long), long> Count(IndexStore store, string sql, int? year, string? exporter, string? importer)
    {
        using var cmd = store.Command(sql);
        Bind(cmd, year, exporter, importer);
        using var r = cmd.ExecuteReader();
        var d = new Dictionary<(string, string, long), long>();
        while (r.Read()) d[(r.GetString(0), r.GetString(1), r.GetInt64(2))] = r.GetInt64(3);
        return d;
    }

    private static void Bind(SqliteCommand cmd, int? year, string? exporter, string? importer)
    {
        cmd.Parameters.AddWithValue("$from", year is { } y ? y * 10 + 1 : 0);
        cmd.Parameters.AddWithValue("$to", year is { } z ? z * 10 + 4 : int.MaxValue);
        cmd.Parameters.AddWithValue("$exporter", (object?)exporter ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$importer", (object?)importer ?? DBNull.Value);
    }
}
