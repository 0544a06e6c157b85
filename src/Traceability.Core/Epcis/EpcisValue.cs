using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Traceability.Core.Epcis;

/// <summary>
/// The value rules of the CBV 2.0 hash algorithm, applied to every value of an event but its timestamps, in the
/// reference implementation's order (<c>_canonize_value</c>): the text is trimmed (rule 5), CBV 1.x URNs become
/// CBV 2.0 web URIs, a number is written without trailing zeros, leading zeros or "+" (rules 6, 7), and an
/// identifier with a GS1 key becomes its constrained canonical GS1 Digital Link URI (<see cref="DigitalLinkNormaliser"/>).
/// </summary>
public static partial class EpcisValue
{
    /// <summary>The most characters a number may take once written out in full (1e999999999 is refused, not expanded).</summary>
    public const int MaxNumberLength = 1000;

    /// <summary>The canonical form of one value.</summary>
    /// <param name="text">The value as written (trimmed here).</param>
    /// <param name="field">The field it came from, named in an error.</param>
    /// <exception cref="EpcisFormatException">A number too large to write out.</exception>
    public static string Canonical(string text, string field)
    {
        text = text.Trim();
        if (text.Length == 0) return text;
        text = WebVocabulary(text);
        text = Number(text, field);
        return DigitalLinkNormaliser.Normalise(text) ?? text;
    }

    /// <summary>
    /// CBV 1.x vocabulary URNs as CBV 2.0 web URIs (hash rule: "URN-based CBV values are converted to their web URI
    /// equivalents"): urn:epcglobal:cbv:bizstep:x gives https://ref.gs1.org/cbv/BizStep-x, and likewise disp (Disp-),
    /// btt (BTT-), sdt (SDT-) and er (ER-). As in the reference, the prefix is replaced wherever it occurs.
    /// </summary>
    public static string WebVocabulary(string text) => text
        .Replace("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-", StringComparison.Ordinal)
        .Replace("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-", StringComparison.Ordinal)
        .Replace("urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-", StringComparison.Ordinal)
        .Replace("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-", StringComparison.Ordinal)
        .Replace("urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-", StringComparison.Ordinal);

    /// <summary>
    /// A decimal number written canonically (rules 6 and 7: "a quantity of one SHALL be expressed as '1', and SHALL NOT
    /// be expressed as '1.0'"): no sign "+", no leading zeros, no trailing fractional zeros, no exponent; a whole number
    /// as an integer. Any other text is returned as it is. The reference first read numbers as binary floats, which
    /// changed long ones (12345678901234567890 became 12345678901234567168); its later releases, and this, are exact.
    /// </summary>
    /// <param name="text">The text, trimmed.</param>
    /// <param name="field">The field it came from, named in an error.</param>
    /// <exception cref="EpcisFormatException">A number longer than <see cref="MaxNumberLength"/> characters written out.</exception>
    public static string Number(string text, string field)
    {
        var m = NumberPattern().Match(text);
        if (!m.Success) return text;
        var negative = m.Groups["sign"].Value == "-";
        var whole = m.Groups["int"].Value;
        var fraction = m.Groups["frac"].Value;
        var exponentText = m.Groups["exp"].Value;
        long exponent = 0;
        if (exponentText.Length > 0)
        {
            var digits = exponentText.TrimStart('+', '-').TrimStart('0');
            if (digits.Length > 9) throw TooLong(field, text);
            exponent = digits.Length == 0 ? 0 : long.Parse(digits, CultureInfo.InvariantCulture);
            if (exponentText[0] == '-') exponent = -exponent;
        }
        // all digits, and where the decimal point falls in them
        var all = whole + fraction;
        var point = whole.Length + exponent;
        var first = all.IndexOfAnyExcept('0');
        if (first < 0) return "0";
        var last = all.AsSpan().LastIndexOfAnyExcept('0');
        var significant = all[first..(last + 1)];
        point -= first;
        // written out: integer digits up to the point, then the fraction
        var length = point >= significant.Length ? point : point <= 0 ? 2 - point + significant.Length : significant.Length + 1;
        if (length > MaxNumberLength) throw TooLong(field, text);
        var sb = new StringBuilder(negative ? "-" : "");
        if (point >= significant.Length) sb.Append(significant).Append('0', (int)(point - significant.Length));
        else if (point <= 0) sb.Append("0.").Append('0', (int)-point).Append(significant);
        else sb.Append(significant.AsSpan(0, (int)point)).Append('.').Append(significant.AsSpan((int)point));
        return sb.ToString();
    }

    private static EpcisFormatException TooLong(string field, string text) =>
        new(field, $"the number '{(text.Length <= 40 ? text : text[..40] + "…")}' has more than {MaxNumberLength} digits written out: too large to hash");

    [GeneratedRegex(@"^(?<sign>[+-]?)(?:(?<int>[0-9]+)(?:\.(?<frac>[0-9]*))?|\.(?<frac>[0-9]+))(?:[eE](?<exp>[+-]?[0-9]+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();
}
