namespace Traceability.Lab.Capacity;

/// <summary>How long records took from being handed in to being confirmed, in seconds.</summary>
/// <param name="P50Seconds">Half the records took at most this long.</param>
/// <param name="P99Seconds">99 % of them took at most this long.</param>
/// <param name="MaxSeconds">The longest.</param>
public sealed record Latency(double P50Seconds, double P99Seconds, double MaxSeconds)
{
    /// <summary>
    /// The percentiles of <paramref name="samples"/>: each a latency in milliseconds and how many records had it (the
    /// nearest-rank percentile, weighted by records). No samples: zeros.
    /// </summary>
    public static Latency Of(IEnumerable<(double Ms, long Records)> samples)
    {
        var sorted = samples.Where(s => s.Records > 0).OrderBy(s => s.Ms).ToList();
        var total = sorted.Sum(s => s.Records);
        if (total == 0) return new Latency(0, 0, 0);
        double At(double p)
        {
            var rank = (long)Math.Ceiling(p * total);
            long seen = 0;
            foreach (var (ms, n) in sorted)
            {
                seen += n;
                if (seen >= rank) return ms;
            }
            return sorted[^1].Ms;
        }
        static double S(double ms) => Math.Round(ms / 1000, 2);
        return new Latency(S(At(0.50)), S(At(0.99)), S(sorted[^1].Ms));
    }
}
