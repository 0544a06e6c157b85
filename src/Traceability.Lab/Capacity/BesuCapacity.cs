namespace Traceability.Lab.Capacity;

/// <summary>
/// The KP's Besu QBFT network as a capacity (chain-dev/besu's genesis: a 60 M gas block every 2 s), and the two ways
/// kp tells what share of it a KP year needs: projected from gas alone (every block full), or measured from the
/// blocks a run actually took (as full as the run could make them, the empty and half-empty ones counted).
/// </summary>
public static class BesuCapacity
{
    /// <summary>Gas a block may hold.</summary>
    public const double BlockGas = 60_000_000;

    /// <summary>Seconds between blocks.</summary>
    public const double BlockSeconds = 2;

    /// <summary>Seconds in a year (365.25 days).</summary>
    public const double SecondsPerYear = 365.25 * 24 * 3600;

    /// <summary>Blocks in a year.</summary>
    public const double BlocksPerYear = SecondsPerYear / BlockSeconds;

    /// <summary>Share of a year of blocks that <paramref name="gas"/> fills, every block full (the projection).</summary>
    public static double ProjectedShare(double gas) => gas / (BlockGas * BlocksPerYear);

    /// <summary>Seconds of full blocks that <paramref name="gas"/> fills.</summary>
    public static double FullBlockSeconds(double gas) => gas / BlockGas * BlockSeconds;

    /// <summary>
    /// Share of a year of blocks the year's <paramref name="recordsInYear"/> need when they take blocks as a run did:
    /// <paramref name="blocks"/> blocks (first to last, the empty ones counted) for <paramref name="records"/> records.
    /// </summary>
    public static double MeasuredShare(long blocks, double records, double recordsInYear) =>
        records <= 0 ? 0 : blocks * (recordsInYear / records) / BlocksPerYear;

    /// <summary>Records a second the network took in a run: <paramref name="records"/> over <paramref name="blocks"/> blocks' time.</summary>
    public static double RecordsPerSecond(long blocks, double records) => blocks <= 0 ? 0 : records / (blocks * BlockSeconds);
}
