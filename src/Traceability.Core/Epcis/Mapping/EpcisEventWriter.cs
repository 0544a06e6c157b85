using System.Text.Json.Nodes;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using static Traceability.Core.Epcis.Mapping.KpEpcisTerms;

namespace Traceability.Core.Epcis.Mapping;

/// <summary>One KP record as one EPCIS 2.0 event (without its eventID, which is its hash): see <see cref="EpcisExporter"/>.</summary>
internal static class EpcisEventWriter
{
    /// <summary>A parcel: ObjectEvent ADD, commissioning, at its mine (readPoint) held by its participant (bizLocation).</summary>
    public static JsonObject Commissioning(ParcelRecord p)
    {
        var e = Event("ObjectEvent", p.RecordedAt);
        e["action"] = "ADD";
        e["bizStep"] = "commissioning";
        e["disposition"] = "active";
        e["quantityList"] = new JsonArray(Quantity(p.Hash(), p.Carats));
        if (p.Mine.Length > 0) e["readPoint"] = new JsonObject { ["id"] = Mine(p.Participant, p.Mine) };
        e["bizLocation"] = new JsonObject { ["id"] = Participant(p.Participant) };
        foreach (var (key, value) in ParcelDetails(p)) e[key] = value;
        return e;
    }

    /// <summary>A transformation: TransformationEvent, repackaging, its inputs and outputs as quantities, its outputs' details in kp:outputParcels.</summary>
    public static JsonObject Transforming(TransformationRecord t, IReadOnlyDictionary<Hash32, ParcelRecord> known)
    {
        var e = Event("TransformationEvent", t.PerformedAt);
        e["inputQuantityList"] = new JsonArray([.. t.Inputs.Select(h => (JsonNode)Quantity(h, known.GetValueOrDefault(h)?.Carats))]);
        e["outputQuantityList"] = new JsonArray([.. t.Outputs.Select(h => (JsonNode)Quantity(h, known.GetValueOrDefault(h)?.Carats))]);
        e["transformationID"] = Transformation(t.Hash());
        e["bizStep"] = "repackaging";
        e["disposition"] = "active";
        e["bizLocation"] = new JsonObject { ["id"] = Participant(t.Participant) };
        e[Key("transformationId")] = t.TransformationId;
        e[Key("operation")] = t.Operation;
        e[Key("salt")] = t.Salt.ToString();
        e[Key("outputParcels")] = new JsonArray([.. t.Outputs.Select((h, i) => (JsonNode)OutputParcel(known.GetValueOrDefault(h), t.OutputDetails.ElementAtOrDefault(i)))]);
        return e;
    }

    /// <summary>A certificate: ObjectEvent OBSERVE, shipping, in transit, the certificate as a "cert" business transaction, exporter to importer.</summary>
    public static JsonObject Shipping(CertificateRecord c, IReadOnlyDictionary<Hash32, ParcelRecord> known)
    {
        var e = Event("ObjectEvent", c.Details.IssuedAt);
        e["action"] = "OBSERVE";
        e["bizStep"] = "shipping";
        e["disposition"] = "in_transit";
        e["quantityList"] = new JsonArray([.. c.Parcels.Select(h => (JsonNode)Quantity(h, known.GetValueOrDefault(h)?.Carats))]);
        Trade(e, c.Number, c.Exporter, c.Importer);
        var d = c.Details;
        e[Key("expiresAt")] = c.ExpiresAt;
        e[Key("issuingAuthority")] = d.IssuingAuthority;
        e[Key("exporterName")] = d.ExporterName;
        e[Key("importerName")] = d.ImporterName;
        e[Key("parcelCount")] = d.ParcelCount;
        e[Key("carats")] = d.Carats;
        e[Key("valueUsdCents")] = d.ValueUsdCents;
        e[Key("hsCode")] = d.HsCode;
        e[Key("origins")] = Codes(d.Origins);
        e[Key("salt")] = d.Salt.ToString();
        if (c.Authorization is { } a)
        {
            e[Key("authorization")] = new JsonObject
            {
                [Key("authority")] = a.Authority,
                [Key("deadline")] = a.Deadline,
                [Key("signature")] = a.Signature,
                [Key("chainId")] = a.ChainId,
                [Key("registry")] = a.Registry,
            };
        }
        return e;
    }

    /// <summary>An import confirmation: ObjectEvent OBSERVE, receiving, the certificate's parcels when it is known.</summary>
    public static JsonObject Receiving(ImportConfirmationRecord i, CertificateRecord? certificate, IReadOnlyDictionary<Hash32, ParcelRecord> known)
    {
        var e = Event("ObjectEvent", i.ConfirmedAt);
        e["action"] = "OBSERVE";
        e["bizStep"] = "receiving";
        e["disposition"] = "in_progress";
        if (certificate is null) e["epcList"] = new JsonArray();
        else e["quantityList"] = new JsonArray([.. certificate.Parcels.Select(h => (JsonNode)Quantity(h, known.GetValueOrDefault(h)?.Carats))]);
        Trade(e, i.CertificateNumber, i.Exporter, i.Importer);
        e[Key("parcelCount")] = i.ParcelCount;
        e[Key("carats")] = i.Carats;
        e[Key("confirmingAuthority")] = i.ConfirmingAuthority;
        e[Key("salt")] = i.Salt.ToString();
        return e;
    }

    private static JsonObject Event(string type, ulong unixSeconds)
    {
        ulong max = 253_402_300_799; // 9999-12-31T23:59:59Z
        if (unixSeconds > max) throw new ArgumentException($"the time {unixSeconds} (Unix seconds) is after the year 9999: EPCIS cannot write it");
        return new JsonObject
        {
            ["type"] = type,
            ["eventTime"] = Time(unixSeconds),
            ["eventTimeZoneOffset"] = "+00:00",
        };
    }

    private static void Trade(JsonObject e, string number, ParticipantCode exporter, ParticipantCode importer)
    {
        e["bizTransactionList"] = new JsonArray(new JsonObject { ["type"] = "cert", ["bizTransaction"] = Certificate(number) });
        e["sourceList"] = new JsonArray(new JsonObject { ["type"] = "owning_party", ["source"] = Participant(exporter) });
        e["destinationList"] = new JsonArray(new JsonObject { ["type"] = "owning_party", ["destination"] = Participant(importer) });
    }

    private static JsonObject Quantity(Hash32 parcel, ulong? carats)
    {
        var q = new JsonObject { ["epcClass"] = Parcel(parcel) };
        if (carats is { } c)
        {
            q["quantity"] = KpEpcisTerms.Quantity(c);
            q["uom"] = Carat;
        }
        return q;
    }

    // a parcel's details but its weight (the quantity) and participant (the event's bizLocation)
    private static IEnumerable<(string, JsonNode)> ParcelDetails(ParcelRecord p) =>
    [
        (Key("parcelId"), p.ParcelId),
        (Key("origins"), Codes(p.Origins)),
        (Key("mine"), p.Mine),
        (Key("valueUsdCents"), p.ValueUsdCents),
        (Key("hsCode"), p.HsCode),
        (Key("salt"), p.Salt.ToString()),
    ];

    // an output parcel: its details when its document is known (its weight is then the output's quantity), else its details hash
    private static JsonObject OutputParcel(ParcelRecord? p, Hash32 detailsHash)
    {
        if (p is null) return new JsonObject { [Key("detailsHash")] = detailsHash.ToString() };
        var o = new JsonObject();
        foreach (var (key, value) in ParcelDetails(p)) o[key] = value;
        o[Key("recordedAt")] = p.RecordedAt;
        return o;
    }

    private static JsonArray Codes(IEnumerable<ParticipantCode> codes) => new([.. codes.Select(c => (JsonNode)c.Value)]);
}
