using System.Collections.Frozen;

namespace Traceability.Core.Participants;

/// <summary>
/// The 60 participants of the Kimberley Process (86 countries, the European Union counting as one)
/// after Uzbekistan joined in November 2024, plus Chinese Taipei, which the KP lists separately.
/// Source: the project's shared data set (kp-participants.csv), compiled from public KP texts.
/// </summary>
public static class KpParticipants
{
    private static readonly (string Code, string Name)[] Listed =
    [
        ("AO", "Angola"), ("AM", "Armenia"), ("AU", "Australia"), ("BD", "Bangladesh"), ("BY", "Belarus"),
        ("BW", "Botswana"), ("BR", "Brazil"), ("KH", "Cambodia"), ("CM", "Cameroon"), ("CA", "Canada"),
        ("CF", "Central African Republic"), ("CN", "China"), ("CI", "Côte d'Ivoire"),
        ("CD", "Democratic Republic of the Congo"), ("SZ", "Eswatini"), ("EU", "European Union"),
        ("GA", "Gabon"), ("GH", "Ghana"), ("GN", "Guinea"), ("GY", "Guyana"), ("IN", "India"),
        ("ID", "Indonesia"), ("IL", "Israel"), ("JP", "Japan"), ("KZ", "Kazakhstan"), ("KR", "Korea, Republic of"),
        ("KG", "Kyrgyzstan"), ("LA", "Lao People's Democratic Republic"), ("LB", "Lebanon"), ("LS", "Lesotho"),
        ("LR", "Liberia"), ("MY", "Malaysia"), ("ML", "Mali"), ("MU", "Mauritius"), ("MX", "Mexico"),
        ("MZ", "Mozambique"), ("NA", "Namibia"), ("NZ", "New Zealand"), ("NO", "Norway"), ("PA", "Panama"),
        ("QA", "Qatar"), ("CG", "Republic of the Congo"), ("RU", "Russian Federation"), ("SL", "Sierra Leone"),
        ("SG", "Singapore"), ("ZA", "South Africa"), ("LK", "Sri Lanka"), ("CH", "Switzerland"), ("TZ", "Tanzania"),
        ("TH", "Thailand"), ("TG", "Togo"), ("TR", "Türkiye"), ("UA", "Ukraine"), ("AE", "United Arab Emirates"),
        ("GB", "United Kingdom"), ("US", "United States"), ("UZ", "Uzbekistan"), ("VE", "Venezuela"),
        ("VN", "Viet Nam"), ("ZW", "Zimbabwe"),
    ];

    /// <summary>Every listed participant and Chinese Taipei, by code.</summary>
    public static FrozenDictionary<ParticipantCode, KpParticipant> ByCode { get; } =
        Listed.Select(p => new KpParticipant(ParticipantCode.Parse(p.Code), p.Name))
            .Append(new KpParticipant(ParticipantCode.Parse("TW"), "Chinese Taipei", CountsAsParticipant: false))
            .ToFrozenDictionary(p => p.Code);

    /// <summary>Whether <paramref name="code"/> is a participant (or Chinese Taipei).</summary>
    public static bool IsKnown(ParticipantCode code) => ByCode.ContainsKey(code);

    /// <summary>The participant with this code, or null.</summary>
    public static KpParticipant? Find(ParticipantCode code) => ByCode.GetValueOrDefault(code);
}
