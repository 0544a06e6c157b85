using System.Text.RegularExpressions;

namespace Traceability.Core.Epcis;

/// <summary>
/// The CBV 2.0 hash rule for identifiers (a port of the reference implementation's <c>dl_normaliser</c>): an EPC URI,
/// EPC class URI, EPC ID pattern URI or GS1 Digital Link URI conveying a GS1 key becomes one constrained, canonical
/// GS1 Digital Link URI: the domain https://id.gs1.org, numeric application identifiers (AIs), a GTIN padded to 14
/// digits, only the finest level of identification (a serial drops the lot; the consumer product variant is dropped),
/// and no query string. Check digits are computed (GS1 modulo 10). Anything else gives null (the value is kept).
/// </summary>
public static partial class DigitalLinkNormaliser
{
    private const string Id = "https://id.gs1.org/";

    // Characters of a GS1 AI value in an EPC URI (the GS1 82-character set, some percent-encoded), as in the reference.
    private const string Esc = @"(?:%2[125-9A-Fa-f]|%3[0-9A-Fa-f]|%4[1-9A-Fa-f]|%5[0-9AaFf]|%6[1-9A-Fa-f]|%7[0-9Aa]|[!')(*+,.0-9:;=A-Za-z_-])";

    // Characters of a component/part reference (CPI), as in the reference.
    private const string CpiChar = @"(?:%2[3dfDF]|%3[0-9]|%4[1-9A-Fa-f]|%5[0-9Aa]|[0-9A-Z-])";

    // Characters a canonical Digital Link value may hold (the reference's final syntax check).
    private const string DlChar = @"[\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]";

    /// <summary>The canonical GS1 Digital Link URI of <paramref name="uri"/>, or null when it conveys no GS1 key this knows.</summary>
    public static string? Normalise(string uri)
    {
        if (uri.StartsWith("urn:epc:", StringComparison.Ordinal)) return FromEpcUri(uri);
        if (uri.StartsWith("http", StringComparison.Ordinal)) return FromDigitalLink(uri);
        return null;
    }

    /// <summary>The GS1 modulo-10 check digit of <paramref name="digits"/> (weights 3, 1, 3, … from the right).</summary>
    public static char CheckDigit(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            sum += i % 2 == 0 ? 3 * d : d;
        }
        return (char)('0' + ((10 - (sum % 10)) % 10));
    }

    /// <summary>
    /// Characters a Digital Link path segment must percent-encode that an EPC URI may hold plainly (GS1 Digital Link
    /// standard, table 7-1): ! ( ) * + , : (the reference's <c>webURIPercentEncoder</c>).
    /// </summary>
    public static string PercentEncode(string value) => value
        .Replace("!", "%21", StringComparison.Ordinal).Replace("(", "%28", StringComparison.Ordinal).Replace(")", "%29", StringComparison.Ordinal)
        .Replace("*", "%2A", StringComparison.Ordinal).Replace("+", "%2B", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal)
        .Replace(":", "%3A", StringComparison.Ordinal);

    private static string WithCheck(string digits) => digits + CheckDigit(digits);

    // A GTIN-14 from an EPC's company prefix and item reference (its first digit is the indicator): GS1 TDS.
    private static string Gtin(string companyPrefix, string itemReference) =>
        WithCheck(itemReference[..1] + companyPrefix + itemReference[1..]);

    // ---- EPC URIs (GS1 Tag Data Standard) ----

    // One EPC URI scheme: its pattern (groups p: company prefix, r: the reference after it, s: serial or other value),
    // how many digits p and r hold together (0: p and s hold at most 30 characters instead), and its Digital Link.
    private sealed record EpcScheme(Func<Regex> Pattern, int Digits, Func<Match, string> Link);

    private static string P(Match m) => m.Groups["p"].Value;

    private static string R(Match m) => m.Groups["r"].Value;

    private static string S(Match m) => PercentEncode(m.Groups["s"].Value);

    private static string PieceTotal(Match m) => m.Groups["piece"].Value + m.Groups["total"].Value;

    // GS1 Tag Data Standard 2.x: EPC URIs, the LGTIN class URI and EPC ID pattern URIs (a pattern stands for its class).
    private static readonly EpcScheme[] EpcSchemes =
    [
        new(Sgtin, 13, m => $"{Id}01/{Gtin(P(m), R(m))}/21/{S(m)}"),
        new(Sscc, 17, m => $"{Id}00/{WithCheck(R(m)[..1] + P(m) + R(m)[1..])}"), // the extension digit leads
        new(Sgln, 12, m => S(m) == "0" ? $"{Id}414/{WithCheck(P(m) + R(m))}" : $"{Id}414/{WithCheck(P(m) + R(m))}/254/{S(m)}"),
        new(Grai, 12, m => $"{Id}8003/{WithCheck("0" + P(m) + R(m))}{S(m)}"),
        new(Giai, 0, m => $"{Id}8004/{P(m)}{S(m)}"),
        new(Gsrn, 17, m => $"{Id}8018/{WithCheck(P(m) + R(m))}"),
        new(Gsrnp, 17, m => $"{Id}8017/{WithCheck(P(m) + R(m))}"),
        new(Gdti, 12, m => $"{Id}253/{WithCheck(P(m) + R(m))}{S(m)}"),
        new(Cpi, 0, m => $"{Id}8010/{PercentEncode(P(m) + R(m))}/8011/{m.Groups["s"].Value}"),
        new(Sgcn, 12, m => $"{Id}255/{WithCheck(P(m) + R(m))}{m.Groups["s"].Value}"),
        new(Ginc, 0, m => $"{Id}401/{P(m)}{S(m)}"),
        new(Gsin, 16, m => $"{Id}402/{WithCheck(P(m) + R(m))}"),
        new(Itip, 13, m => $"{Id}8006/{Gtin(P(m), R(m))}{PieceTotal(m)}/21/{S(m)}"),
        new(Upui, 13, m => $"{Id}01/{Gtin(P(m), R(m))}/235/{S(m)}"),
        new(Pgln, 12, m => $"{Id}417/{WithCheck(P(m) + R(m))}"),
        new(Lgtin, 13, m => $"{Id}01/{Gtin(P(m), R(m))}/10/{S(m)}"),
        new(SgtinPattern, 13, m => $"{Id}01/{Gtin(P(m), R(m))}"),
        new(GraiPattern, 12, m => $"{Id}8003/{WithCheck("0" + P(m) + R(m))}"),
        new(GdtiPattern, 12, m => $"{Id}253/{WithCheck(P(m) + R(m))}"),
        new(SgcnPattern, 12, m => $"{Id}255/{WithCheck(P(m) + R(m))}"),
        new(CpiPattern, 0, m => $"{Id}8010/{PercentEncode(P(m) + R(m))}"),
        new(ItipPattern, 13, m => $"{Id}8006/{Gtin(P(m), R(m))}{PieceTotal(m)}"),
        new(UpuiPattern, 13, m => $"{Id}01/{Gtin(P(m), R(m))}"),
    ];

    private static string? FromEpcUri(string uri)
    {
        foreach (var scheme in EpcSchemes)
        {
            var m = scheme.Pattern().Match(uri);
            if (!m.Success) continue;
            // the company prefix has 6 to 12 digits; with the reference after it, a fixed number of digits
            var prefix = P(m).Length;
            // for GIAI, GINC and CPI: the company prefix and the asset, consignment or part reference hold at most 30 characters
            var fits = prefix is >= 6 and <= 12 && (scheme.Digits > 0
                ? prefix + R(m).Length == scheme.Digits
                : prefix + Length(m.Groups["r"].Success ? R(m) : m.Groups["s"].Value) <= 30);
            return fits ? scheme.Link(m) : null;
        }
        return null;
    }

    // characters of an EPC URI value, a percent-escape counting as one
    private static int Length(string escaped) => escaped.Length - (2 * escaped.Count(c => c == '%'));

    [GeneratedRegex($@"^urn:epc:id:sgtin:(?<p>[0-9]+)\.(?<r>[0-9]+)\.(?<s>{Esc}{{1,20}})$", RegexOptions.CultureInvariant)]
    private static partial Regex Sgtin();

    [GeneratedRegex(@"^urn:epc:id:sscc:(?<p>[0-9]+)\.(?<r>[0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Sscc();

    [GeneratedRegex($@"^urn:epc:id:sgln:(?<p>[0-9]+)\.(?<r>[0-9]*)\.(?<s>{Esc}{{1,20}})$", RegexOptions.CultureInvariant)]
    private static partial Regex Sgln();

    [GeneratedRegex($@"^urn:epc:id:grai:(?<p>[0-9]+)\.(?<r>[0-9]*)\.(?<s>{Esc}{{1,16}})$", RegexOptions.CultureInvariant)]
    private static partial Regex Grai();

    [GeneratedRegex($@"^urn:epc:id:giai:(?<p>[0-9]+)\.(?<s>{Esc}{{1,24}})$", RegexOptions.CultureInvariant)]
    private static partial Regex Giai();

    [GeneratedRegex(@"^urn:epc:id:gsrn:(?<p>[0-9]+)\.(?<r>[0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Gsrn();

    [GeneratedRegex(@"^urn:epc:id:gsrnp:(?<p>[0-9]+)\.(?<r>[0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Gsrnp();

    [GeneratedRegex($@"^urn:epc:id:gdti:(?<p>[0-9]+)\.(?<r>[0-9]*)\.(?<s>{Esc}{{0,19}})$", RegexOptions.CultureInvariant)]
    private static partial Regex Gdti();

    [GeneratedRegex($@"^urn:epc:id:cpi:(?<p>[0-9]+)\.(?<r>{CpiChar}{{1,24}})\.(?<s>[0-9]{{1,12}})$", RegexOptions.CultureInvariant)]
    private static partial Regex Cpi();

    [GeneratedRegex(@"^urn:epc:id:sgcn:(?<p>[0-9]+)\.(?<r>[0-9]*)\.(?<s>[0-9]{1,12})$", RegexOptions.CultureInvariant)]
    private static partial Regex Sgcn();

    [GeneratedRegex($@"^urn:epc:id:ginc:(?<p>[0-9]+)\.(?<s>{Esc}{{1,24}})$", RegexOptions.CultureInvariant)]
    private static partial Regex Ginc();

    [GeneratedRegex(@"^urn:epc:id:gsin:(?<p>[0-9]+)\.(?<r>[0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Gsin();

    [GeneratedRegex($@"^urn:epc:id:itip:(?<p>[0-9]+)\.(?<r>[0-9]+)\.(?<piece>[0-9]{{2}})\.(?<total>[0-9]{{2}})\.(?<s>{Esc}{{1,20}})$", RegexOptions.CultureInvariant)]
    private static partial Regex Itip();

    [GeneratedRegex($@"^urn:epc:id:upui:(?<p>[0-9]+)\.(?<r>[0-9]+)\.(?<s>{Esc}{{1,28}})$", RegexOptions.CultureInvariant)]
    private static partial Regex Upui();

    [GeneratedRegex(@"^urn:epc:id:pgln:(?<p>[0-9]+)\.(?<r>[0-9]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pgln();

    [GeneratedRegex($@"^urn:epc:class:lgtin:(?<p>[0-9]+)\.(?<r>[0-9]+)\.(?<s>{Esc}{{1,20}})$", RegexOptions.CultureInvariant)]
    private static partial Regex Lgtin();

    [GeneratedRegex(@"^urn:epc:idpat:sgtin:(?<p>[0-9]+)\.(?<r>[0-9]+)\.\*$", RegexOptions.CultureInvariant)]
    private static partial Regex SgtinPattern();

    [GeneratedRegex(@"^urn:epc:idpat:grai:(?<p>[0-9]+)\.(?<r>[0-9]*)\.\*$", RegexOptions.CultureInvariant)]
    private static partial Regex GraiPattern();

    [GeneratedRegex(@"^urn:epc:idpat:gdti:(?<p>[0-9]+)\.(?<r>[0-9]*)\.\*$", RegexOptions.CultureInvariant)]
    private static partial Regex GdtiPattern();

    [GeneratedRegex(@"^urn:epc:idpat:sgcn:(?<p>[0-9]+)\.(?<r>[0-9]*)\.\*$", RegexOptions.CultureInvariant)]
    private static partial Regex SgcnPattern();

    [GeneratedRegex($@"^urn:epc:idpat:cpi:(?<p>[0-9]+)\.(?<r>{CpiChar}{{1,24}})\.\*$", RegexOptions.CultureInvariant)]
    private static partial Regex CpiPattern();

    [GeneratedRegex(@"^urn:epc:idpat:itip:(?<p>[0-9]+)\.(?<r>[0-9]+)\.(?<piece>[0-9]{2})\.(?<total>[0-9]{2})\.\*$", RegexOptions.CultureInvariant)]
    private static partial Regex ItipPattern();

    [GeneratedRegex(@"^urn:epc:idpat:upui:(?<p>[0-9]+)\.(?<r>[0-9]+)\.\*$", RegexOptions.CultureInvariant)]
    private static partial Regex UpuiPattern();

    // ---- GS1 Digital Link URIs ----

    // Short names of keys and key qualifiers (GS1 Digital Link 1.1) and their AIs, replaced in this order.
    private static readonly (string Name, string Ai)[] ShortNames =
    [
        ("/gtin/", "/01/"), ("/itip/", "/8006/"), ("/cpid/", "/8010/"), ("/gln/", "/414/"), ("/party/", "/417/"), ("/gsrnp/", "/8017/"),
        ("/gsrn/", "/8018/"), ("/gcn/", "/255/"), ("/sscc/", "/00/"), ("/gdti/", "/253/"), ("/ginc/", "/401/"), ("/gsin/", "/402/"),
        ("/grai/", "/8003/"), ("/giai/", "/8004/"), ("/cpv/", "/22/"), ("/lot/", "/10/"), ("/ser/", "/21/"),
    ];

    // Primary-key AIs, in the order the reference looks for them when it moves a URI to the canonical domain.
    private static readonly string[] KeyAis = ["/00/", "/01/", "/253/", "/255/", "/401/", "/402/", "/414/", "/417/", "/8003/", "/8004/", "/8006/", "/8010/", "/8017/", "/8018/"];

    private static string? FromDigitalLink(string uri)
    {
        if (!LooseDigitalLink().IsMatch(uri)) return null;
        // no query string (key=value attributes are not part of the identifier)
        var query = uri.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0) uri = uri[..query];
        foreach (var (name, ai) in ShortNames) uri = uri.Replace(name, ai, StringComparison.Ordinal);
        // any domain (a brand's resolver, id.gs1.de, http://) becomes https://id.gs1.org
        if (!CanonicalDomain().IsMatch(uri))
        {
            foreach (var ai in KeyAis)
            {
                var at = uri.IndexOf(ai, StringComparison.Ordinal);
                if (at < 0) continue;
                uri = "https://id.gs1.org" + uri[at..];
                break;
            }
        }
        // a GTIN-8, -12 or -13 padded with zeros to 14 digits
        if (!Gtin14().IsMatch(uri))
        {
            if (GtinDigits(13).IsMatch(uri)) uri = uri.Replace("/01/", "/01/0", StringComparison.Ordinal);
            else if (GtinDigits(12).IsMatch(uri)) uri = uri.Replace("/01/", "/01/00", StringComparison.Ordinal);
            else if (GtinDigits(8).IsMatch(uri)) uri = uri.Replace("/01/", "/01/000000", StringComparison.Ordinal);
        }
        // the consumer product variant (AI 22) is not part of the identity: dropped
        var cpv = uri.IndexOf("/22/", StringComparison.Ordinal);
        if (cpv >= 0)
        {
            var after = uri[(cpv + 4)..];
            if (CpvLast().IsMatch(uri)) uri = uri[..cpv];
            else if (CpvThenMore().IsMatch(uri)) uri = uri[..cpv] + after[after.IndexOf('/', StringComparison.Ordinal)..];
        }
        // only the finest level: with a serial (AI 21) the lot (AI 10) is dropped
        if (LotAndSerial().IsMatch(uri))
        {
            var lot = uri.IndexOf("/10/", StringComparison.Ordinal);
            var after = uri[(lot + 4)..];
            uri = uri[..lot] + after[after.IndexOf('/', StringComparison.Ordinal)..];
        }
        return Canonical().IsMatch(uri) ? uri : null;
    }

    private static Regex GtinDigits(int n) => n switch { 13 => Gtin13(), 12 => Gtin12(), _ => Gtin8() };

    [GeneratedRegex(@"^https?:(//((([^/?#]*)@)?([^/?#:]*)(:([^/?#]*))?))?((([^?#]*)(/(01|gtin|8006|itip|8010|cpid|414|gln|417|party|8017|gsrnp|8018|gsrn|255|gcn|00|sscc|253|gdti|401|ginc|402|gsin|8003|grai|8004|giai)/)([0-9]{4}[^/]+)(/[^/]+/[^/]+)?[/]?(\?([^?\n]*))?(#([^\n]*))?)|(/[A-Za-z_-]{10}$))", RegexOptions.CultureInvariant)]
    private static partial Regex LooseDigitalLink();

    [GeneratedRegex(@"^https://id\.gs1\.org/(01|8006|8010|414|417|8017|8018|255|00|253|401|402|8003|8004)/([0-9]{4}[^/]+)(/[^/]+/[^/]+)?[/]?(\?([^?\n]*))?(#([^\n]*))?", RegexOptions.CultureInvariant)]
    private static partial Regex CanonicalDomain();

    [GeneratedRegex(@"^https://id\.gs1\.org/01/[0-9]{14}", RegexOptions.CultureInvariant)]
    private static partial Regex Gtin14();

    [GeneratedRegex(@"^https://id\.gs1\.org/01/[0-9]{13}", RegexOptions.CultureInvariant)]
    private static partial Regex Gtin13();

    [GeneratedRegex(@"^https://id\.gs1\.org/01/[0-9]{12}", RegexOptions.CultureInvariant)]
    private static partial Regex Gtin12();

    [GeneratedRegex(@"^https://id\.gs1\.org/01/[0-9]{8}", RegexOptions.CultureInvariant)]
    private static partial Regex Gtin8();

    [GeneratedRegex($@"^https://id\.gs1\.org/(8006/[0-9]{{18}}|01/[0-9]{{14}})/22/{DlChar}{{0,20}}$", RegexOptions.CultureInvariant)]
    private static partial Regex CpvLast();

    [GeneratedRegex(@"^https://id\.gs1\.org/(8006/[0-9]{18}|01/[0-9]{14})/22/[\x2F\x22\x27\x2D\x2E\x30-\x39\x3B-\x3F\x41-\x5A\x5F\x61-\x7A]{0,20}$", RegexOptions.CultureInvariant)]
    private static partial Regex CpvThenMore();

    [GeneratedRegex($@"^https://id\.gs1\.org/(8006/[0-9]{{18}}|01/[0-9]{{14}})/10/{DlChar}{{0,20}}/21/{DlChar}{{0,20}}$", RegexOptions.CultureInvariant)]
    private static partial Regex LotAndSerial();

    // The constrained canonical forms the reference accepts (anything else is not normalised).
    [GeneratedRegex($@"^https://id\.gs1\.org/(00/[0-9]{{18}}|01/[0-9]{{14}}(/21/{DlChar}{{0,20}}|/10/{DlChar}{{0,20}}|/235/{DlChar}{{0,28}})?|253/[0-9]{{13}}{DlChar}{{0,17}}|255/[0-9]{{13}}[0-9]{{0,12}}|401/{DlChar}{{0,30}}|402/[0-9]{{17}}|414/[0-9]{{13}}(/254/{DlChar}{{0,20}})?|417/[0-9]{{13}}|8003/[0-9]{{14}}{DlChar}{{0,16}}|8004/{DlChar}{{0,30}}|8006/[0-9]{{18}}(/21/{DlChar}{{0,20}}|/10/{DlChar}{{0,20}})?|8010/[\x23\x2D\x2F\x30-\x39\x41-\x5A]{{0,30}}(/8011/[0-9]{{0,12}})?|8017/[0-9]{{18}}|8018/[0-9]{{18}})$", RegexOptions.CultureInvariant)]
    private static partial Regex Canonical();
}
