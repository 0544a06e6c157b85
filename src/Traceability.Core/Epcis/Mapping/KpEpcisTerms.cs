using System.Globalization;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;

namespace Traceability.Core.Epcis.Mapping;

/// <summary>
/// The identifiers and terms the mapping between KP records and EPCIS 2.0 events uses (see the README's
/// "GS1 EPCIS 2.0" section). Parcels, transformations, participants, mines and certificates are named by URNs
/// of the private <c>urn:kp:</c> scheme (an EPC URN, urn:epc:id:…, names GS1-keyed objects, which a rough-diamond
/// parcel is not): a parcel and a transformation by their record hash (what the registry knows them by), a
/// participant by its KP code, a certificate by its number. Record fields without an EPCIS home travel as
/// extensions in the <see cref="Namespace"/> namespace, prefix <see cref="Prefix"/>.
/// </summary>
public static class KpEpcisTerms
{
    /// <summary>The JSON-LD prefix of the KP extension fields.</summary>
    public const string Prefix = "kp";

    /// <summary>The namespace the prefix stands for (an identifier, not fetched).</summary>
    public const string Namespace = "https://ns.kp-traceability.org/epcis/";

    /// <summary>The GS1 EPCIS 2.0 context URL.</summary>
    public const string Gs1Context = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

    /// <summary>The UN/ECE Recommendation 20 unit code of the metric carat.</summary>
    public const string Carat = "CTM";

    /// <summary>A parcel: urn:kp:parcel:&lt;64 hex digits of its record hash&gt;.</summary>
    public const string ParcelUrn = "urn:kp:parcel:";

    /// <summary>A transformation: urn:kp:transformation:&lt;64 hex digits of its record hash&gt;.</summary>
    public const string TransformationUrn = "urn:kp:transformation:";

    /// <summary>A KP participant: urn:kp:participant:&lt;code&gt;.</summary>
    public const string ParticipantUrn = "urn:kp:participant:";

    /// <summary>A mine or zone of production: urn:kp:mine:&lt;participant&gt;:&lt;name, percent-encoded&gt;.</summary>
    public const string MineUrn = "urn:kp:mine:";

    /// <summary>A KP certificate: urn:kp:certificate:&lt;number, percent-encoded&gt;.</summary>
    public const string CertificateUrn = "urn:kp:certificate:";

    /// <summary>The key of an extension field.</summary>
    public static string Key(string name) => Prefix + ":" + name;

    /// <summary>The URN of a parcel.</summary>
    public static string Parcel(Hash32 hash) => ParcelUrn + hash.ToString()[2..];

    /// <summary>The URN of a transformation.</summary>
    public static string Transformation(Hash32 hash) => TransformationUrn + hash.ToString()[2..];

    /// <summary>The URN of a participant.</summary>
    public static string Participant(ParticipantCode code) => ParticipantUrn + code.Value;

    /// <summary>The URN of a mine of <paramref name="participant"/>.</summary>
    public static string Mine(ParticipantCode participant, string mine) => MineUrn + participant.Value + ":" + Uri.EscapeDataString(mine);

    /// <summary>The URN of a certificate.</summary>
    public static string Certificate(string number) => CertificateUrn + Uri.EscapeDataString(number);

    /// <summary>The hash in a urn:kp:parcel: or urn:kp:transformation: URN, or null.</summary>
    public static Hash32? HashIn(string urn, string prefix) =>
        urn.StartsWith(prefix, StringComparison.Ordinal) && urn.Length == prefix.Length + 64 && Hash32.TryParse("0x" + urn[prefix.Length..], out var h) ? h : null;

    /// <summary>Carats (hundredths) as an EPCIS quantity in carats.</summary>
    public static decimal Quantity(ulong hundredths) => hundredths / 100m;

    /// <summary>Unix seconds as an EPCIS time: UTC, milliseconds.</summary>
    public static string Time(ulong unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(checked((long)unixSeconds)).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
