using Traceability.Core.Records;

namespace Traceability.Core.Validation;

/// <summary>
/// Bounds on what a record may plausibly say, checked before anything is written (kp new, kp
/// writes, kp submit, the anchoring service). The KP rules (<see cref="KpRules"/>) say what a
/// record must be; these bounds catch what no genuine record says: a typo that adds zeros, carats
/// typed as hundredths, a year typed as 2062 for 2026. They are not part of the verifier's
/// verdict (a record on chain is judged by the chain), so a bound can change without changing
/// what anything anchored means.
/// </summary>
/// <remarks>
/// Decision and reason (also in the README's design notes):
/// <list type="bullet">
/// <item>At most <see cref="MaxCarats"/> (10,000,000 ct) in one parcel, certificate or import
/// confirmation. The largest producer, Botswana, mined 25.1 Mct in 2023 and 28.2 Mct in 2024, the
/// whole world 111.5 Mct in 2023 (samples/kp-statistics): a single parcel or shipment of 10 Mct would
/// be a third of Botswana's year, so the bound leaves room for any real lot while a billion carats
/// (nine years of world output) or an amount typed in hundredths is refused.</item>
/// <item>At most <see cref="MaxValueUsd"/> (US$ 5,000,000,000) in one document: world production was
/// worth US$ 12.7 bn in 2023; no parcel or shipment is worth 40 % of it.</item>
/// <item>No date more than <see cref="MaxDaysAhead"/> (366) days after now. Recording, issue and
/// confirmation dates are in the past; a certificate is valid for weeks or months and a relay
/// signature for hours or days. A year of slack covers clock skew, pre-dated paperwork and long
/// validities; a date decades ahead is a typo. Dates before 2000 and after 2106 are already refused
/// by the KP rules.</item>
/// </list>
/// </remarks>
public static class Plausibility
{
    /// <summary>Most carats one document may declare.</summary>
    public const ulong MaxCarats = 10_000_000;

    /// <summary><see cref="MaxCarats"/> in hundredths of a carat (the records' unit).</summary>
    public const ulong MaxCaratsHundredths = MaxCarats * 100;

    /// <summary>Most US dollars one document may declare.</summary>
    public const ulong MaxValueUsd = 5_000_000_000;

    /// <summary><see cref="MaxValueUsd"/> in US cents (the records' unit).</summary>
    public const ulong MaxValueUsdCents = MaxValueUsd * 100;

    /// <summary>How many days after now a date may be.</summary>
    public const int MaxDaysAhead = 366;

    /// <summary>The latest plausible date (Unix seconds) at <paramref name="now"/>.</summary>
    public static ulong LatestDate(DateTimeOffset now) => (ulong)now.ToUnixTimeSeconds() + MaxDaysAhead * 86_400UL;

    /// <summary>Every bound <paramref name="record"/> breaks at <paramref name="now"/> (empty when plausible).</summary>
    public static IReadOnlyList<ValidationError> Check(KpRecord record, DateTimeOffset now)
    {
        var e = new List<ValidationError>();
        var latest = LatestDate(now);
        switch (record)
        {
            case ParcelRecord p:
                Carats(p.Carats, "carats", e);
                Value(p.ValueUsdCents, "valueUsdCents", e);
                Date(p.RecordedAt, "recordedAt", latest, e);
                break;
            case TransformationRecord t:
                Date(t.PerformedAt, "performedAt", latest, e);
                break;
            case CertificateRecord c:
                Carats(c.Details.Carats, "details.carats", e);
                Value(c.Details.ValueUsdCents, "details.valueUsdCents", e);
                Date(c.Details.IssuedAt, "details.issuedAt", latest, e);
                Date(c.ExpiresAt, "expiresAt", latest, e);
                if (c.Authorization is { } a) Date(a.Deadline, "authorization.deadline", latest, e);
                break;
            case ImportConfirmationRecord i:
                Carats(i.Carats, "carats", e);
                Date(i.ConfirmedAt, "confirmedAt", latest, e);
                break;
        }
        return e;
    }

    /// <summary>The KP rules and these bounds together (<see cref="KpRules.Check"/>, or <see cref="KpRules.CheckOriginParcel"/> when <paramref name="originParcel"/>).</summary>
    public static IReadOnlyList<ValidationError> CheckAll(KpRecord record, DateTimeOffset now, bool originParcel = false) =>
        [.. originParcel && record is ParcelRecord p ? KpRules.CheckOriginParcel(p) : KpRules.Check(record), .. Check(record, now)];

    private static void Carats(ulong hundredths, string field, List<ValidationError> e)
    {
        if (hundredths > MaxCaratsHundredths)
        {
            e.Add(new(field, "plausible", $"{hundredths / 100m:#,0.##} ct is implausible: one document may declare at most {MaxCarats:N0} ct (a typo, or hundredths typed as carats?)"));
        }
    }

    private static void Value(ulong cents, string field, List<ValidationError> e)
    {
        if (cents > MaxValueUsdCents)
        {
            e.Add(new(field, "plausible", $"US$ {cents / 100m:#,0.##} is implausible: one document may declare at most US$ {MaxValueUsd:N0}"));
        }
    }

    private static void Date(ulong seconds, string field, ulong latest, List<ValidationError> e)
    {
        if (seconds > latest && seconds <= KpRules.LatestDate)
        {
            e.Add(new(field, "plausible", $"{DateTimeOffset.FromUnixTimeSeconds((long)seconds):yyyy-MM-dd} is more than {MaxDaysAhead} days ahead: a typo in the year?"));
        }
    }
}
