using System.Globalization;
using System.Text.RegularExpressions;

namespace Traceability.Core.Epcis;

/// <summary>
/// CBV 2.0 hash rules 8 and 9 for timestamps: every timestamp is written in UTC with a capital "Z", at millisecond
/// precision. Fewer than three fractional digits are zero-filled ("…:30+01:00" gives "…:30.000Z"); more are rounded
/// to three, up when the fourth is 5 to 9 (".1415" gives ".142", ".1414" gives ".141"), the carry reaching the seconds
/// (and the day) when it must. The reference implementation reads the timestamp with dateutil, which guesses; here
/// it must be an xsd:dateTimeStamp (a date, "T", a time and an offset "Z" or ±hh:mm), else the field is refused:
/// a timestamp without an offset would hash differently on machines in different time zones.
/// </summary>
public static partial class EpcisTimestamp
{
    /// <summary>The canonical form of <paramref name="text"/>: UTC, milliseconds, "Z" (for example 2020-03-04T10:00:30.000Z).</summary>
    /// <param name="text">An xsd:dateTimeStamp, for example 2020-03-04T11:00:30+01:00.</param>
    /// <param name="field">The field it came from, named in the error.</param>
    /// <exception cref="EpcisFormatException">Not a date-time with an offset, or out of range.</exception>
    public static string Canonical(string text, string field)
    {
        var m = Pattern().Match(text);
        if (!m.Success)
        {
            throw new EpcisFormatException(field, $"'{Cut(text)}' is not an ISO 8601 date-time with an offset (for example 2020-03-04T11:00:30.000+01:00)");
        }
        int N(string group) => int.Parse(m.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture);
        var fraction = m.Groups["f"].Value;
        // three digits, zero-filled; the fourth (if any) rounds the third half up
        var millis = int.Parse(fraction.PadRight(3, '0')[..3], NumberStyles.None, CultureInfo.InvariantCulture);
        if (fraction.Length > 3 && fraction[3] >= '5') millis++;
        var zone = m.Groups["z"].Value;
        var offset = TimeSpan.Zero;
        if (zone != "Z")
        {
            var hours = int.Parse(zone.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture);
            var minutes = int.Parse(zone.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture);
            if (hours > 14 || minutes > 59 || (hours == 14 && minutes > 0))
            {
                throw new EpcisFormatException(field, $"'{Cut(text)}' has an offset {zone} outside -14:00 to +14:00");
            }
            offset = new TimeSpan(hours, minutes, 0);
            if (zone[0] == '-') offset = -offset;
        }
        try
        {
            var local = new DateTime(N("y"), N("mo"), N("d"), N("h"), N("mi"), N("s"), DateTimeKind.Unspecified);
            var utc = new DateTimeOffset(local, offset).AddMilliseconds(millis).UtcDateTime;
            return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new EpcisFormatException(field, $"'{Cut(text)}' is not a valid date-time (a month, day, hour, minute or second out of range, or a year outside 0001 to 9999)");
        }
    }

    private static string Cut(string text) => text.Length <= 64 ? text : text[..64] + "…";

    [GeneratedRegex(@"^(?<y>[0-9]{4})-(?<mo>[0-9]{2})-(?<d>[0-9]{2})T(?<h>[0-9]{2}):(?<mi>[0-9]{2}):(?<s>[0-9]{2})(?:\.(?<f>[0-9]{1,64}))?(?<z>Z|[+-][0-9]{2}:[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
