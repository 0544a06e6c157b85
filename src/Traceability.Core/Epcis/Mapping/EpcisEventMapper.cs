using System.Text.Json;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using static Traceability.Core.Epcis.Mapping.EpcisEventFields;
using static Traceability.Core.Epcis.Mapping.KpEpcisTerms;

namespace Traceability.Core.Epcis.Mapping;

/// <summary>
/// One EPCIS event -> the KP records it carries (the inverse of <see cref="EpcisEventWriter"/>): an ObjectEvent ADD
/// commissioning gives a parcel; a TransformationEvent a transformation and the output parcels whose details it
/// carries; an ObjectEvent shipping with a KP certificate as business transaction a certificate; an ObjectEvent
/// receiving an import confirmation. Anything else is refused with the field that decides.
/// </summary>
internal static class EpcisEventMapper
{
    private const string BizStep = "https://ref.gs1.org/cbv/BizStep-";

    /// <summary>The records of the event in <paramref name="e"/> (type already known to be an EPCIS event type).</summary>
    /// <exception cref="EpcisMappingException">The event cannot be mapped: names the field.</exception>
    public static IReadOnlyList<KpRecord> Map(EpcisEventFields e, string type)
    {
        var bizStep = StepOf(e.Vocabulary("bizStep"));
        var action = e.Optional("action") is { ValueKind: JsonValueKind.String } a ? a.GetString() : null;
        IReadOnlyList<KpRecord> records = (type, action, bizStep) switch
        {
            ("TransformationEvent", _, _) => Transformation(e),
            ("ObjectEvent", "ADD", "commissioning") => [Parcel(e)],
            ("ObjectEvent", "OBSERVE", "shipping") => [Certificate(e)],
            ("ObjectEvent", "OBSERVE", "receiving") => [Confirmation(e)],
            ("ObjectEvent", _, "commissioning") => throw Error(e.At("action"), $"is {Text(action)}: a commissioning event that registers a parcel has action ADD"),
            ("ObjectEvent", _, "shipping" or "receiving") => throw Error(e.At("action"), $"is {Text(action)}: a KP shipment or receipt is an ObjectEvent with action OBSERVE"),
            ("ObjectEvent", _, _) => throw Error(e.At("bizStep"), $"is {Text(bizStep)}: a KP record comes from an ObjectEvent with bizStep commissioning (a parcel), shipping (a certificate) or receiving (an import confirmation)"),
            _ => throw Error(e.At("type"), $"is {type}: KP records come from ObjectEvents (commissioning, shipping, receiving) and TransformationEvents; an {type} has no KP record"),
        };
        e.EnsureNoUnknownKpFields();
        return records;
    }

    private static string Text(string? value) => value is null ? "missing" : $"'{value}'";

    // "commissioning", "https://ref.gs1.org/cbv/BizStep-commissioning" and "urn:epcglobal:cbv:bizstep:commissioning" alike
    private static string? StepOf(string? bizStep) => bizStep switch
    {
        null => null,
        _ when bizStep.StartsWith(BizStep, StringComparison.Ordinal) => bizStep[BizStep.Length..],
        _ when bizStep.StartsWith("urn:epcglobal:cbv:bizstep:", StringComparison.Ordinal) => bizStep["urn:epcglobal:cbv:bizstep:".Length..],
        _ => bizStep,
    };

    private static ParcelRecord Parcel(EpcisEventFields e)
    {
        var participant = Participant(e.Required("bizLocation", "it names the participant holding the parcel (urn:kp:participant:<code>)"), e.At("bizLocation"), "id");
        var quantities = List(e, "quantityList", "it holds the parcel's weight in carats");
        if (quantities.GetArrayLength() != 1) throw Error(e.At("quantityList"), $"has {quantities.GetArrayLength()} elements: a commissioning event of a KP parcel has exactly one (the parcel, in carats)");
        var (epcClass, carats) = Quantity(quantities[0], e.At("quantityList") + "[0]", required: true);
        var p = ParcelFrom(e, participant, carats!.Value, e.UnixSeconds("eventTime", "time of production (recordedAt)"));
        CheckIdentifier(epcClass, ParcelUrn, p.Hash(), e.At("quantityList") + "[0].epcClass", "parcel");
        if (p.Mine.Length > 0 && e.Optional("readPoint") is { } readPoint)
        {
            var id = Id(readPoint, e.At("readPoint"));
            if (id.StartsWith(MineUrn, StringComparison.Ordinal) && id != Mine(participant, p.Mine))
            {
                throw Error(e.At("readPoint") + ".id", $"names {id}, but the parcel's mine ({e.KpPath("mine")}) gives {Mine(participant, p.Mine)}");
            }
        }
        return p;
    }

    private static ParcelRecord ParcelFrom(EpcisEventFields e, ParticipantCode participant, ulong carats, ulong recordedAt) => new(
        e.KpString("parcelId", "the holder's reference of the parcel", 100),
        participant,
        e.KpCodes("origins", "the countries of origin"),
        e.KpString("mine", "the mine or zone of production (empty for a derived parcel)", allowEmpty: true),
        carats,
        e.KpUInt64("valueUsdCents", "US cents"),
        e.KpString("hsCode", "the HS code", 20),
        recordedAt,
        e.KpHash("salt", "the record's salt"));

    private static IReadOnlyList<KpRecord> Transformation(EpcisEventFields e)
    {
        var participant = Participant(e.Required("bizLocation", "it names the participant where the transformation happened (urn:kp:participant:<code>)"), e.At("bizLocation"), "id");
        var inputs = Parcels(e, "inputQuantityList", "it lists the consumed parcels");
        var outputElements = List(e, "outputQuantityList", "it lists the created parcels");
        var outputParcels = e.KpObjects("outputParcels", "one entry per output: its parcel details, or its details hash");
        if (outputParcels.Count != outputElements.GetArrayLength())
        {
            throw Error(e.KpPath("outputParcels"), $"has {outputParcels.Count} entries for {outputElements.GetArrayLength()} outputs (outputQuantityList): one per output, in the same order");
        }
        var performedAt = e.UnixSeconds("eventTime", "time of the transformation (performedAt)");
        var made = new List<ParcelRecord>();
        var outputs = new List<Hash32>();
        var details = new List<Hash32>();
        for (var i = 0; i < outputParcels.Count; i++)
        {
            var at = $"{e.At("outputQuantityList")}[{i}]";
            var o = outputParcels[i];
            var (epcClass, carats) = Quantity(outputElements[i], at, required: false);
            Hash32 hash, detailsHash;
            if (o.KpOptional("detailsHash") is not null)
            {
                detailsHash = o.KpHash("detailsHash", "the output's ParcelDetails hash");
                hash = ParcelRecord.HashOf(participant, detailsHash);
            }
            else
            {
                if (carats is null) throw Error(at + ".quantity", "is missing: the output's weight in carats is part of its parcel record");
                var p = ParcelFrom(o, participant, carats.Value, o.KpUInt64("recordedAt", "Unix seconds"));
                (hash, detailsHash) = (p.Hash(), p.DetailsHash());
                made.Add(p);
            }
            o.EnsureNoUnknownKpFields();
            CheckIdentifier(epcClass, ParcelUrn, hash, at + ".epcClass", "output parcel");
            outputs.Add(hash);
            details.Add(detailsHash);
        }
        var t = new TransformationRecord(
            e.KpString("transformationId", "the holder's reference of the transformation", 100),
            participant,
            e.KpString("operation", "split, merge or sort", 20),
            [.. inputs],
            [.. outputs],
            performedAt,
            e.KpHash("salt", "the record's salt"))
        { OutputDetails = [.. details] };
        if (e.Optional("transformationID") is { } id)
        {
            CheckIdentifier(id.ValueKind == JsonValueKind.String ? id.GetString() : null, TransformationUrn, t.Hash(), e.At("transformationID"), "transformation");
        }
        return [t, .. made];
    }

    private static CertificateRecord Certificate(EpcisEventFields e)
    {
        var (number, exporter, importer) = Trade(e);
        var parcels = Parcels(e, "quantityList", "it lists the shipment's parcels");
        var details = new CertificateDetails(
            e.UnixSeconds("eventTime", "date of issue (issuedAt)"),
            e.KpString("issuingAuthority", "the issuing authority's name"),
            e.KpString("exporterName", "the exporter's name and address"),
            e.KpString("importerName", "the importer's name and address"),
            (uint)e.KpUInt64("parcelCount", "parcels", uint.MaxValue),
            e.KpUInt64("carats", "hundredths of a carat"),
            e.KpUInt64("valueUsdCents", "US cents"),
            e.KpString("hsCode", "the HS code", 20),
            e.KpCodes("origins", "the countries of origin"),
            e.KpHash("salt", "the record's salt"));
        CertificateAuthorization? authorization = null;
        if (e.KpObject("authorization") is { } a)
        {
            authorization = new CertificateAuthorization(
                a.KpString("authority", "the signing authority's address", 42),
                a.KpUInt64("deadline", "Unix seconds"),
                a.KpString("signature", "the authority's signature", 132),
                a.KpUInt64("chainId", "chain id"),
                a.KpString("registry", "the registry's address", 42));
            a.EnsureNoUnknownKpFields();
        }
        return new CertificateRecord(number, exporter, importer, e.KpUInt64("expiresAt", "Unix seconds"), [.. parcels], details, authorization);
    }

    private static ImportConfirmationRecord Confirmation(EpcisEventFields e)
    {
        var (number, exporter, importer) = Trade(e);
        return new ImportConfirmationRecord(
            number,
            exporter,
            importer,
            (uint)e.KpUInt64("parcelCount", "parcels", uint.MaxValue),
            e.KpUInt64("carats", "hundredths of a carat"),
            e.UnixSeconds("eventTime", "time of the confirmation (confirmedAt)"),
            e.KpString("confirmingAuthority", "the confirming authority's name"),
            e.KpHash("salt", "the record's salt"));
    }

    // the certificate (bizTransactionList), exporter (sourceList) and importer (destinationList)
    private static (string Number, ParticipantCode Exporter, ParticipantCode Importer) Trade(EpcisEventFields e)
    {
        var transactions = List(e, "bizTransactionList", $"it names the KP certificate ({CertificateUrn}<number>)");
        string? number = null;
        var i = 0;
        foreach (var t in transactions.EnumerateArray())
        {
            if (t.ValueKind == JsonValueKind.Object && t.TryGetProperty("bizTransaction", out var v) && v.ValueKind == JsonValueKind.String
                && v.GetString()!.StartsWith(CertificateUrn, StringComparison.Ordinal))
            {
                if (number is not null) throw Error($"{e.At("bizTransactionList")}[{i}]", "names a second KP certificate: a shipment has one");
                number = Uri.UnescapeDataString(v.GetString()![CertificateUrn.Length..]);
                if (number.Trim().Length == 0 || number.Length > 40) throw Error($"{e.At("bizTransactionList")}[{i}].bizTransaction", "expected a certificate number of 1 to 40 characters");
            }
            i++;
        }
        if (number is null) throw Error(e.At("bizTransactionList"), $"names no KP certificate: expected a business transaction {CertificateUrn}<number>");
        return (number, Party(e, "sourceList", "source", "exporter"), Party(e, "destinationList", "destination", "importer"));
    }

    private static ParticipantCode Party(EpcisEventFields e, string list, string member, string what)
    {
        var items = List(e, list, $"it names the {what} ({ParticipantUrn}<code>)");
        var found = items.EnumerateArray().Select((x, i) => (x, i))
            .Where(p => p.x.ValueKind == JsonValueKind.Object && p.x.TryGetProperty(member, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.StartsWith(ParticipantUrn, StringComparison.Ordinal))
            .ToList();
        if (found.Count != 1) throw Error(e.At(list), $"names {found.Count} KP participants: expected exactly one, the {what} ({ParticipantUrn}<code>)");
        return EpcisEventFields.Participant(found[0].x.GetProperty(member), $"{e.At(list)}[{found[0].i}].{member}");
    }

    private static List<Hash32> Parcels(EpcisEventFields e, string name, string why)
    {
        var list = List(e, name, why);
        if (list.GetArrayLength() > Json.RecordJson.MaxListLength) throw Error(e.At(name), $"has {list.GetArrayLength():N0} elements; at most {Json.RecordJson.MaxListLength:N0} are allowed");
        var hashes = new List<Hash32>();
        var i = 0;
        foreach (var q in list.EnumerateArray())
        {
            var at = $"{e.At(name)}[{i++}]";
            var (epcClass, _) = Quantity(q, at, required: false);
            hashes.Add(HashIn(epcClass, ParcelUrn) ?? throw Error(at + ".epcClass", $"expected a KP parcel, {ParcelUrn}<64 hex digits of its record hash>, found \"{epcClass}\""));
        }
        return hashes;
    }

    private static JsonElement List(EpcisEventFields e, string name, string why)
    {
        var list = e.Required(name, why);
        if (list.ValueKind != JsonValueKind.Array) throw Error(e.At(name), $"expected an array, found {Describe(list)}");
        return list;
    }

    // a quantityElement {epcClass, quantity, uom}: the class, and the weight in hundredths of a carat when given (or required)
    private static (string EpcClass, ulong? Carats) Quantity(JsonElement q, string at, bool required)
    {
        if (q.ValueKind != JsonValueKind.Object) throw Error(at, $"expected a quantity element {{epcClass, quantity, uom}}, found {Describe(q)}");
        var epcClass = q.TryGetProperty("epcClass", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()!
            : throw Error(at + ".epcClass", "is missing or not a string: every quantity element names its class");
        if (!q.TryGetProperty("quantity", out var n))
        {
            return required ? throw Error(at + ".quantity", "is missing: the parcel's weight in carats is part of its record") : (epcClass, null);
        }
        if (n.ValueKind != JsonValueKind.Number || !n.TryGetDecimal(out var carats) || carats < 0 || carats > ulong.MaxValue / 100m || carats * 100 != decimal.Truncate(carats * 100))
        {
            throw Error(at + ".quantity", $"expected a weight in carats with at most two decimals (hundredths of a carat), found {Describe(n)}");
        }
        var uom = q.TryGetProperty("uom", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        if (uom != Carat) throw Error(at + ".uom", $"is {Text(uom)}: KP weights are in metric carats, uom \"{Carat}\"");
        return (epcClass, (ulong)(carats * 100));
    }

    private static ParticipantCode Participant(JsonElement location, string at, string member) =>
        EpcisEventFields.Participant(location.ValueKind == JsonValueKind.Object && location.TryGetProperty(member, out var id) ? id : location, $"{at}.{member}");

    private static string Id(JsonElement location, string at) =>
        location.ValueKind == JsonValueKind.Object && location.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()!
            : location.ValueKind == JsonValueKind.String ? location.GetString()! : throw Error(at + ".id", "is missing: a location has an id");

    // a urn:kp:… identifier must name the record the fields give; a member's own identifier (any other URI) is left as it is
    private static void CheckIdentifier(string? id, string prefix, Hash32 hash, string at, string what)
    {
        if (id is null || !id.StartsWith(prefix, StringComparison.Ordinal)) return;
        if (HashIn(id, prefix) is not { } named) throw Error(at, $"'{id}' is not {prefix}<64 hex digits>");
        if (named != hash) throw Error(at, $"names {what} {named}, but the event's fields give {what} {hash}: a field was changed, or the identifier is another record's");
    }
}
