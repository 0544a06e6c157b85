namespace Traceability.Lab.Capacity;

/// <summary>What share of the Besu-like network (<see cref="BesuCapacity"/>) a KP year needs, from a run on it.</summary>
/// <param name="RecordsPerSecond">Records a second the network took in the run: its records over the time of the blocks it spanned.</param>
/// <param name="YearRecords">The year's records of the kind the run anchored.</param>
/// <param name="MeasuredShare">Share of a year of blocks those records need, taking blocks as the run did (<see cref="BesuCapacity.MeasuredShare"/>).</param>
/// <param name="ProjectedShare">The same from gas alone, every block full (<see cref="BesuCapacity.ProjectedShare"/>).</param>
public sealed record NetworkShare(double RecordsPerSecond, double YearRecords, double MeasuredShare, double ProjectedShare)
{
    /// <summary>Blocks the year's records need, taking blocks as the run did.</summary>
    public double YearBlocks => Math.Round(MeasuredShare * BesuCapacity.BlocksPerYear);

    /// <summary>Hours of the network those blocks are.</summary>
    public double YearHours => Math.Round(YearBlocks * BesuCapacity.BlockSeconds / 3600, 2);

    /// <summary>
    /// The share of a year of <paramref name="yearRecords"/> from a run of <paramref name="records"/> records that took
    /// <paramref name="blocks"/> and used <paramref name="gas"/>.
    /// </summary>
    public static NetworkShare Of(BlockFigures blocks, double records, double gas, double yearRecords) => new(
        Math.Round(BesuCapacity.RecordsPerSecond(blocks.BlocksSpanned, records), 1), yearRecords,
        BesuCapacity.MeasuredShare(blocks.BlocksSpanned, records, yearRecords),
        records <= 0 ? 0 : BesuCapacity.ProjectedShare(gas * (yearRecords / records)));
}
