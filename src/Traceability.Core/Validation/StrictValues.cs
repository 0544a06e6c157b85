using System.Globalization;
using Nethereum.Util;

namespace Traceability.Core.Validation;

/// <summary>
/// The one strict parser of values people type: amounts, dates, addresses, ports and counts (kp's
/// options and arguments, the service's settings). Culture-free and unforgiving: "1,5" is not 1.5
/// and not 15, "1e3" is not 1000, a number too large for its type is a sentence and never an
/// overflow, and a mixed-case address must carry a correct EIP-55 checksum. Every failure is a
/// <see cref="FormatException"/> whose message is a sentence that does not repeat the value's name
/// (the caller prefixes it: "--carats: ...").
/// </summary>
public static class StrictValues
{
    private const int MaxIntegerDigits = 18; // below ulong's 20 digits: no overflow before the bound check

    /// <summary>
    /// An amount with at most two decimals (carats, US dollars) as a whole number of hundredths:
    /// digits, optionally a dot and one or two digits. At most <paramref name="max"/> (in whole
    /// units, named <paramref name="unit"/> in the message).
    /// </summary>
    public static ulong Hundredths(string? text, ulong max, string unit)
    {
        var s = text ?? "";
        var dot = s.IndexOf('.');
        var whole = dot < 0 ? s : s[..dot];
        var fraction = dot < 0 ? "" : s[(dot + 1)..];
        if (s.Length == 0) throw new FormatException("is empty: give an amount such as 1250 or 12.5");
        if (s.StartsWith('-')) throw new FormatException($"'{s}' is negative: an amount is zero or more");
        if (s.Contains(',')) throw new FormatException($"'{s}' is not an amount: write decimals with a dot and no thousands separators (such as 1.5 or 1500)");
        if (s.Contains('e') || s.Contains('E')) throw new FormatException($"'{s}' is not an amount: write the number in full, without an exponent (such as 1000)");
        if (whole.Length == 0 || !IsDigits(whole) || (dot >= 0 && (fraction.Length == 0 || !IsDigits(fraction))))
        {
            throw new FormatException($"'{s}' is not an amount: digits, optionally a dot and up to two decimals (such as 1250 or 12.5)");
        }
        if (fraction.Length > 2) throw new FormatException($"'{s}' has {fraction.Length} decimals: at most two (hundredths)");
        var trimmed = whole.TrimStart('0');
        if (trimmed.Length > MaxIntegerDigits) throw new FormatException($"'{s}' is implausibly large: at most {max:N0} {unit}");
        var units = trimmed.Length == 0 ? 0UL : ulong.Parse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture);
        var cents = fraction.Length == 0 ? 0UL : ulong.Parse(fraction.PadRight(2, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
        if (units > max || (units == max && cents > 0)) throw new FormatException($"{s} {unit} is implausibly large: at most {max:N0} {unit} (a typo?)");
        return units * 100 + cents;
    }

    /// <summary>
    /// A date: yyyy-MM-dd (UTC midnight) or Unix seconds (digits only), from 2000-01-01 to
    /// <paramref name="latest"/> (Unix seconds; default 2106, the latest the contract stores).
    /// </summary>
    public static ulong Date(string? text, ulong? latest = null)
    {
        var s = text ?? "";
        ulong seconds;
        if (s.Length > 0 && IsDigits(s))
        {
            if (s.TrimStart('0').Length > MaxIntegerDigits || !ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out seconds))
            {
                throw new FormatException($"'{s}' is not a date: Unix seconds are at most {KpRules.LatestDate} (2106)");
            }
        }
        else if (DateTimeOffset.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d))
        {
            seconds = (ulong)Math.Max(0, d.ToUnixTimeSeconds());
        }
        else throw new FormatException($"'{s}' is not a date: yyyy-MM-dd (UTC) or Unix seconds");
        if (seconds < KpRules.EarliestDate) throw new FormatException($"'{s}' is before 2000-01-01: give yyyy-MM-dd or Unix seconds (not a count of days)");
        if (seconds > KpRules.LatestDate) throw new FormatException($"'{s}' is after 2106: dates are Unix seconds, not milliseconds");
        if (latest is { } l && seconds > l)
        {
            throw new FormatException($"{DateTimeOffset.FromUnixTimeSeconds((long)seconds):yyyy-MM-dd} is implausible: more than {Plausibility.MaxDaysAhead} days ahead (a typo in the year?)");
        }
        return seconds;
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>: digits only (a leading '-' for negatives).</summary>
    public static long Integer(string? text, long min, long max)
    {
        var s = text ?? "";
        var digits = s.StartsWith('-') ? s[1..] : s;
        if (digits.Length == 0 || !IsDigits(digits))
        {
            throw new FormatException(s.Contains(',') || s.Contains('.') || s.Contains('e') || s.Contains('E')
                ? $"'{s}' is not a whole number: digits only, no separators, decimals or exponent"
                : $"'{s}' is not a whole number");
        }
        if (digits.TrimStart('0').Length > MaxIntegerDigits || !long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
        {
            throw new FormatException($"{s} is out of range: from {Bound(min)} to {Bound(max)}");
        }
        return v;
    }

    // thousands separators where they help reading (10,000,000), not in a year or a port (2000 to 2100, 1 to 65535)
    private static string Bound(long value) => value.ToString(value is >= 100_000 or <= -100_000 ? "N0" : "D", CultureInfo.InvariantCulture);

    /// <summary>A TCP port, 1-65535 (or 0 when <paramref name="zeroMeans"/> says what 0 means: "any free port", "off").</summary>
    public static int Port(string? text, string? zeroMeans = null)
    {
        var s = text ?? "";
        if (s.Length == 0 || !IsDigits(s)) throw new FormatException($"'{s}' is not a port: a whole number from {(zeroMeans is null ? 1 : 0)} to 65535");
        if (s.TrimStart('0').Length > 5 || !int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535 || (port == 0 && zeroMeans is null))
        {
            throw new FormatException($"{s} is not a port: from {(zeroMeans is null ? "1" : $"0 ({zeroMeans})")} to 65535");
        }
        return port;
    }

    /// <summary>
    /// An Ethereum address: 0x and 40 hex digits. All lower or all upper case carries no checksum;
    /// mixed case must be the EIP-55 checksum, so a mistyped address is caught. Returns it checksummed.
    /// </summary>
    public static string Address(string? text)
    {
        var s = text ?? "";
        if (s.Length != 42 || !s.StartsWith("0x", StringComparison.Ordinal) || !IsHex(s.AsSpan(2)))
        {
            throw new FormatException($"'{s}' is not an address: 0x followed by 40 hex digits");
        }
        var checksummed = AddressUtil.Current.ConvertToChecksumAddress(s);
        var letters = s[2..].Where(char.IsAsciiLetter).ToList();
        var mixed = letters.Any(char.IsAsciiLetterUpper) && letters.Any(char.IsAsciiLetterLower);
        if (mixed && !string.Equals(s, checksummed, StringComparison.Ordinal))
        {
            throw new FormatException($"'{s}' has a wrong EIP-55 checksum (its upper- and lower-case letters do not match): a typo? copy the address again from its source");
        }
        return checksummed;
    }

    /// <summary>Whether <paramref name="text"/> is an address that <see cref="Address"/> accepts.</summary>
    public static bool IsAddress(string? text)
    {
        try
        {
            Address(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsDigits(string s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        return true;
    }

    private static bool IsHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigit(c)) return false;
        }
        return true;
    }
}
