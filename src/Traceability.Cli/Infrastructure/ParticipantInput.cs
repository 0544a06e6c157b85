using System.Collections.Frozen;
using Traceability.Core.Participants;

namespace Traceability.Cli.Infrastructure;

/// <summary>
/// A participant code typed on the command line: case-insensitive on input (<c>bw</c> is BW), printed upper-case.
/// A code that is not a KP participant is refused with the one it most likely meant: an ISO alpha-3 code
/// (<c>UAE</c>, <c>BWA</c>), a common short form (<c>UK</c>, <c>DRC</c>) or the participant's name, also misspelt
/// (<c>Botswana</c>, <c>Indai</c>).
/// </summary>
public static class ParticipantInput
{
    // ISO 3166-1 alpha-3 of every listed participant and Chinese Taipei, plus the short forms people type
    private static readonly FrozenDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["AGO"] = "AO",
        ["ARM"] = "AM",
        ["AUS"] = "AU",
        ["BGD"] = "BD",
        ["BLR"] = "BY",
        ["BWA"] = "BW",
        ["BRA"] = "BR",
        ["KHM"] = "KH",
        ["CMR"] = "CM",
        ["CAN"] = "CA",
        ["CAF"] = "CF",
        ["CHN"] = "CN",
        ["CIV"] = "CI",
        ["COD"] = "CD",
        ["SWZ"] = "SZ",
        ["GAB"] = "GA",
        ["GHA"] = "GH",
        ["GIN"] = "GN",
        ["GUY"] = "GY",
        ["IND"] = "IN",
        ["IDN"] = "ID",
        ["ISR"] = "IL",
        ["JPN"] = "JP",
        ["KAZ"] = "KZ",
        ["KOR"] = "KR",
        ["KGZ"] = "KG",
        ["LAO"] = "LA",
        ["LBN"] = "LB",
        ["LSO"] = "LS",
        ["LBR"] = "LR",
        ["MYS"] = "MY",
        ["MLI"] = "ML",
        ["MUS"] = "MU",
        ["MEX"] = "MX",
        ["MOZ"] = "MZ",
        ["NAM"] = "NA",
        ["NZL"] = "NZ",
        ["NOR"] = "NO",
        ["PAN"] = "PA",
        ["QAT"] = "QA",
        ["COG"] = "CG",
        ["RUS"] = "RU",
        ["SLE"] = "SL",
        ["SGP"] = "SG",
        ["ZAF"] = "ZA",
        ["LKA"] = "LK",
        ["CHE"] = "CH",
        ["TZA"] = "TZ",
        ["THA"] = "TH",
        ["TGO"] = "TG",
        ["TUR"] = "TR",
        ["UKR"] = "UA",
        ["ARE"] = "AE",
        ["GBR"] = "GB",
        ["USA"] = "US",
        ["UZB"] = "UZ",
        ["VEN"] = "VE",
        ["VNM"] = "VN",
        ["ZWE"] = "ZW",
        ["TWN"] = "TW",
        ["UAE"] = "AE",
        ["UK"] = "GB",
        ["DRC"] = "CD",
        ["RSA"] = "ZA",
        ["CAR"] = "CF",
        ["EUR"] = "EU",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The participant <paramref name="text"/> names, for the option or argument <paramref name="field"/>.
    /// Two letters that are not a listed participant are accepted only when <paramref name="allowUnlisted"/>
    /// (governance adds participants kp does not list yet); anything else throws <see cref="CliUsageException"/>
    /// with a suggestion when one is near.
    /// </summary>
    public static ParticipantCode Parse(string? text, string field, bool allowUnlisted = false)
    {
        var typed = (text ?? "").Trim();
        if (typed.Length == 2 && ParticipantCode.TryParse(typed.ToUpperInvariant(), out var code))
        {
            if (KpParticipants.IsKnown(code)) return code;
            if (allowUnlisted && !Aliases.ContainsKey(typed)) return code; // UK is never a new participant: it is GB
        }
        var hint = Suggest(typed) is { } s ? $"; did you mean {s.Code} ({s.Name})?" : "; the codes are ISO 3166-1 alpha-2 (such as BW, IN, AE) or EU: see kp participant list";
        throw new CliUsageException($"{field}: '{typed}' is not a KP participant code{hint}", field);
    }

    /// <summary>The participant <paramref name="typed"/> most likely means, or null.</summary>
    public static KpParticipant? Suggest(string typed)
    {
        if (typed.Length == 0) return null;
        if (Aliases.TryGetValue(typed, out var alias)) return KpParticipants.Find(ParticipantCode.Parse(alias));
        var byName = KpParticipants.ByCode.Values.FirstOrDefault(p => string.Equals(p.Name, typed, StringComparison.OrdinalIgnoreCase));
        if (byName is not null) return byName;
        if (typed.Length <= 3) return null; // two or three letters a typo away from many codes: no guess
        var names = KpParticipants.ByCode.Values.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        return Suggestions.Nearest(typed, names.Keys) is { } name ? names[name] : null;
    }
}
