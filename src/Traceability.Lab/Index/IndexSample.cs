namespace Traceability.Lab.Index;

/// <summary>
/// A generated index of a given size (random hashes, a year of block times), to measure the queries
/// at the replay's scale without a chain: origin parcels spread over producers, certificates of
/// ten parcels each from producers and hubs to hubs, most confirmed, a few voided.
/// </summary>
public static class IndexSample
{
    private static readonly string[] Producers = ["RU", "BW", "CA", "AO", "CD", "ZA", "ZW", "NA", "SL", "LS", "TZ", "GN"];
    private static readonly string[] Hubs = ["AE", "EU", "IN", "IL", "CN"];

    /// <summary>Writes <paramref name="parcels"/> origin parcels and <paramref name="certificates"/> certificates of <paramref name="year"/> into an empty <paramref name="store"/>.</summary>
    public static void Generate(IndexStore store, int parcels, int certificates, int year, int seed = 7)
    {
        var random = new Random(seed);
        var start = (ulong)new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        const ulong Year = 365 * 86_400;
        byte[] Hash()
        {
            var b = new byte[32];
            random.NextBytes(b);
            return b;
        }
        var origin = new List<(byte[] Hash, string Participant)>(parcels);
        ulong block = 1;
        var blocks = Math.Max(1, (parcels + certificates) / 50);
        LogMark Mark(int i, int total, ulong log)
        {
            var n = 1 + (ulong)((long)i * blocks / Math.Max(1, total));
            block = Math.Max(block, n);
            return new LogMark(n, log, Hash(), start + n * (Year / (ulong)blocks));
        }
        using (var w = store.BeginRound())
        {
            for (var i = 0; i < parcels; i++)
            {
                var p = Producers[(int)Math.Min(Producers.Length - 1, Math.Floor(-Math.Log(1 - random.NextDouble()) * 3))];
                origin.Add((Hash(), p));
            }
            // written in key order: the same rows, appended to the table's B-tree instead of scattered through it
            var marks = Enumerable.Range(0, parcels).Select(i => Mark(i, parcels, (ulong)(i % 50))).ToList();
            var order = Enumerable.Range(0, parcels).OrderBy(i => origin[i].Hash, ByteOrder.Instance).ToList();
            foreach (var i in order) w.Parcel(marks[i], origin[i].Hash, origin[i].Participant, "0x0000000000000000000000000000000000000001", null);
            for (var i = 0; i < certificates; i++)
            {
                var from = origin[random.Next(origin.Count)].Participant;
                var exporter = random.NextDouble() < 0.4 ? Hubs[random.Next(Hubs.Length)] : from;
                var importer = Hubs[random.Next(Hubs.Length)];
                if (importer == exporter) importer = Hubs[(Array.IndexOf(Hubs, importer) + 1) % Hubs.Length];
                var number = Hash();
                var m = Mark(i, certificates, 100 + (ulong)(i % 50));
                var carried = Enumerable.Range(0, 10).Select(_ => origin[random.Next(origin.Count)].Hash).ToList();
                w.Certificate(m, exporter, number, importer, Hash(), m.Time + 60 * 86_400, "0x01", "0x02", carried);
                if (random.NextDouble() < 0.95) w.Confirmation(m with { Log = m.Log + 1000 }, exporter, number, importer, Hash(), "0x03");
                else if (random.NextDouble() < 0.1) w.Void(m with { Log = m.Log + 2000 }, exporter, number, "0x01");
            }
            for (ulong n = 1; n <= block; n++) w.Block(new IndexedBlock(n, IndexStore.Hex(Hash()), start + n * (Year / (ulong)blocks)));
            w.Commit(block);
        }
    }
}

/// <summary>Orders byte arrays as SQLite orders BLOBs (memcmp, then length).</summary>
internal sealed class ByteOrder : IComparer<byte[]>
{
    public static ByteOrder Instance { get; } = new();

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}
