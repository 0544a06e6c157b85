using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;

namespace Traceability.Core.Json;

/// <summary>
/// Reads and writes record documents: JSON, camelCase, with <c>schemaVersion</c> and <c>kind</c>.
/// Reading is strict: a missing, unknown, duplicated or mistyped field is a
/// <see cref="RecordFormatException"/> naming the field; nothing is silently dropped.
/// </summary>
public static class RecordJson
{
    /// <summary>The largest document accepted, in bytes.</summary>
    public const int MaxDocumentBytes = 1 << 20;

    /// <summary>The most parcels (or inputs, outputs) one record may list.</summary>
    public const int MaxListLength = 10_000;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = 8,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true };

    /// <summary>Parses a record document from UTF-8 bytes.</summary>
    public static KpRecord Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxDocumentBytes)
        {
            throw new RecordFormatException("document", $"is {utf8.Length:N0} bytes; at most {MaxDocumentBytes:N0} are accepted");
        }
        if (utf8.Length == 0) throw new RecordFormatException("document", "is empty");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8.ToArray(), DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new RecordFormatException("document", $"is not valid JSON at {JsonErrorText.Describe(e)}");
        }
        using (doc)
        {
            KpRecord record;
            try
            {
                record = Read(new StrictObject(doc.RootElement, ""));
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or JsonException or (FormatException and not RecordFormatException))
            {
                // anything the JSON reader throws on text it cannot decode is a format error, never an unexpected exception
                throw new RecordFormatException("document", $"is not a readable document ({e.Message})");
            }
            // every byte of an accepted document is valid UTF-8 (the strings read above are checked; this covers the rest)
            if (!Utf8.IsValid(utf8)) throw new RecordFormatException("document", "is not valid UTF-8");
            return record;
        }
    }

    /// <summary>Parses a record document from text.</summary>
    public static KpRecord Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    /// <summary>Parses a document that must be of type <typeparamref name="T"/>.</summary>
    public static T Parse<T>(string json) where T : KpRecord =>
        Parse(json) as T ?? throw new RecordFormatException("kind", $"expected a {typeof(T).Name} document");

    /// <summary>The record as an indented JSON document.</summary>
    public static string Write(KpRecord record)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", KpRecord.SchemaVersion);
            w.WriteString("kind", record.Kind.ToJsonName());
            switch (record)
            {
                case ParcelRecord p: WriteParcel(w, p); break;
                case TransformationRecord t: WriteTransformation(w, t); break;
                case CertificateRecord c: WriteCertificate(w, c); break;
                case ImportConfirmationRecord i: WriteConfirmation(w, i); break;
                default: throw new ArgumentException($"unknown record type {record.GetType().Name}", nameof(record));
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static KpRecord Read(StrictObject o)
    {
        var version = o.Int32("schemaVersion");
        if (version != KpRecord.SchemaVersion)
        {
            throw new RecordFormatException("schemaVersion", $"version {version} is not supported (this build reads version {KpRecord.SchemaVersion})");
        }
        var kindName = o.String("kind", 40);
        var kind = RecordKindNames.FromJsonName(kindName)
            ?? throw new RecordFormatException("kind", $"\"{kindName}\" is not a record kind (parcel, transformation, certificate, importConfirmation)");
        KpRecord record = kind switch
        {
            RecordKind.Parcel => ReadParcel(o),
            RecordKind.Transformation => ReadTransformation(o),
            RecordKind.Certificate => ReadCertificate(o),
            _ => ReadConfirmation(o),
        };
        o.EnsureNoUnknownFields();
        return record;
    }

    private static ParcelRecord ReadParcel(StrictObject o) => new(
        o.String("parcelId", 100),
        o.Code("participant"),
        o.Codes("origins", 300),
        o.String("mine", 200, allowEmpty: true),
        o.UInt64("carats", "hundredths of a carat"),
        o.UInt64("valueUsdCents", "US cents"),
        o.String("hsCode", 20),
        o.UInt64("recordedAt", "Unix seconds"),
        o.Hash("salt"));

    private static TransformationRecord ReadTransformation(StrictObject o)
    {
        var t = new TransformationRecord(
            o.String("transformationId", 100),
            o.Code("participant"),
            o.String("operation", 20),
            o.Hashes("inputs", MaxListLength),
            o.Hashes("outputs", MaxListLength),
            o.UInt64("performedAt", "Unix seconds"),
            o.Hash("salt"))
        { OutputDetails = o.Hashes("outputDetails", MaxListLength) };
        if (t.OutputDetails.Length != t.Outputs.Length)
        {
            throw new RecordFormatException(o.Path("outputDetails"), $"expected one details hash per output ({t.Outputs.Length}), found {t.OutputDetails.Length}");
        }
        for (var i = 0; i < t.Outputs.Length; i++)
        {
            if (ParcelRecord.HashOf(t.Participant, t.OutputDetails[i]) != t.Outputs[i])
            {
                throw new RecordFormatException(o.Path("outputDetails") + $"[{i}]",
                    $"does not give output {t.Outputs[i]} under participant {t.Participant} (it must be the ParcelDetails hash of that output's document)");
            }
        }
        return t;
    }

    private static CertificateRecord ReadCertificate(StrictObject o)
    {
        var number = o.String("number", 40);
        var exporter = o.Code("exporter");
        var importer = o.Code("importer");
        var expiresAt = o.UInt64("expiresAt", "Unix seconds");
        var parcels = o.Hashes("parcels", MaxListLength);
        var d = o.Object("details");
        var details = new CertificateDetails(
            d.UInt64("issuedAt", "Unix seconds"),
            d.String("issuingAuthority"),
            d.String("exporterName"),
            d.String("importerName"),
            d.UInt32("parcelCount", "parcels"),
            d.UInt64("carats", "hundredths of a carat"),
            d.UInt64("valueUsdCents", "US cents"),
            d.String("hsCode", 20),
            d.Codes("origins", 300),
            d.Hash("salt"));
        d.EnsureNoUnknownFields();
        CertificateAuthorization? authorization = null;
        if (o.OptionalObject("authorization") is { } a)
        {
            authorization = new CertificateAuthorization(
                Address(a, "authority"),
                a.UInt64("deadline", "Unix seconds"),
                Signature(a, "signature"),
                a.UInt64("chainId", "chain id"),
                Address(a, "registry"));
            a.EnsureNoUnknownFields();
        }
        return new CertificateRecord(number, exporter, importer, expiresAt, parcels, details, authorization);
    }

    private static ImportConfirmationRecord ReadConfirmation(StrictObject o) => new(
        o.String("certificateNumber", 40),
        o.Code("exporter"),
        o.Code("importer"),
        o.UInt32("parcelCount", "parcels"),
        o.UInt64("carats", "hundredths of a carat"),
        o.UInt64("confirmedAt", "Unix seconds"),
        o.String("confirmingAuthority"),
        o.Hash("salt"));

    private static string Address(StrictObject o, string name)
    {
        var s = o.String(name, 42);
        if (s.Length != 42 || !s.StartsWith("0x", StringComparison.Ordinal) || !IsHex(s.AsSpan(2)))
        {
            throw new RecordFormatException(o.Path(name), $"expected an address (0x followed by 40 hex digits), found \"{s}\"");
        }
        if (!Validation.StrictValues.IsAddress(s)) throw new RecordFormatException(o.Path(name), $"\"{s}\" has a wrong EIP-55 checksum (its upper- and lower-case letters do not match): a typo?");
        return s;
    }

    private static string Signature(StrictObject o, string name)
    {
        var s = o.String(name, 132);
        if (s.Length is not (130 or 132) || !s.StartsWith("0x", StringComparison.Ordinal) || !IsHex(s.AsSpan(2)))
        {
            throw new RecordFormatException(o.Path(name), "expected a 65-byte signature (0x followed by 130 hex digits) or a 64-byte EIP-2098 one (128)");
        }
        return s;
    }

    private static bool IsHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigit(c)) return false;
        }
        return true;
    }

    private static void WriteParcel(Utf8JsonWriter w, ParcelRecord p)
    {
        w.WriteString("parcelId", p.ParcelId);
        w.WriteString("participant", p.Participant.Value);
        WriteCodes(w, "origins", p.Origins);
        w.WriteString("mine", p.Mine);
        w.WriteNumber("carats", p.Carats);
        w.WriteNumber("valueUsdCents", p.ValueUsdCents);
        w.WriteString("hsCode", p.HsCode);
        w.WriteNumber("recordedAt", p.RecordedAt);
        w.WriteString("salt", p.Salt.ToString());
    }

    private static void WriteTransformation(Utf8JsonWriter w, TransformationRecord t)
    {
        w.WriteString("transformationId", t.TransformationId);
        w.WriteString("participant", t.Participant.Value);
        w.WriteString("operation", t.Operation);
        WriteHashes(w, "inputs", t.Inputs);
        WriteHashes(w, "outputs", t.Outputs);
        WriteHashes(w, "outputDetails", t.OutputDetails);
        w.WriteNumber("performedAt", t.PerformedAt);
        w.WriteString("salt", t.Salt.ToString());
    }

    private static void WriteCertificate(Utf8JsonWriter w, CertificateRecord c)
    {
        w.WriteString("number", c.Number);
        w.WriteString("exporter", c.Exporter.Value);
        w.WriteString("importer", c.Importer.Value);
        w.WriteNumber("expiresAt", c.ExpiresAt);
        WriteHashes(w, "parcels", c.Parcels);
        var d = c.Details;
        w.WriteStartObject("details");
        w.WriteNumber("issuedAt", d.IssuedAt);
        w.WriteString("issuingAuthority", d.IssuingAuthority);
        w.WriteString("exporterName", d.ExporterName);
        w.WriteString("importerName", d.ImporterName);
        w.WriteNumber("parcelCount", d.ParcelCount);
        w.WriteNumber("carats", d.Carats);
        w.WriteNumber("valueUsdCents", d.ValueUsdCents);
        w.WriteString("hsCode", d.HsCode);
        WriteCodes(w, "origins", d.Origins);
        w.WriteString("salt", d.Salt.ToString());
        w.WriteEndObject();
        if (c.Authorization is { } a)
        {
            w.WriteStartObject("authorization");
            w.WriteString("authority", a.Authority);
            w.WriteNumber("deadline", a.Deadline);
            w.WriteString("signature", a.Signature);
            w.WriteNumber("chainId", a.ChainId);
            w.WriteString("registry", a.Registry);
            w.WriteEndObject();
        }
    }

    private static void WriteConfirmation(Utf8JsonWriter w, ImportConfirmationRecord i)
    {
        w.WriteString("certificateNumber", i.CertificateNumber);
        w.WriteString("exporter", i.Exporter.Value);
        w.WriteString("importer", i.Importer.Value);
        w.WriteNumber("parcelCount", i.ParcelCount);
        w.WriteNumber("carats", i.Carats);
        w.WriteNumber("confirmedAt", i.ConfirmedAt);
        w.WriteString("confirmingAuthority", i.ConfirmingAuthority);
        w.WriteString("salt", i.Salt.ToString());
    }

    private static void WriteHashes(Utf8JsonWriter w, string name, ImmutableArray<Hash32> hashes)
    {
        w.WriteStartArray(name);
        foreach (var h in hashes) w.WriteStringValue(h.ToString());
        w.WriteEndArray();
    }

    private static void WriteCodes(Utf8JsonWriter w, string name, ImmutableArray<ParticipantCode> codes)
    {
        w.WriteStartArray(name);
        foreach (var c in codes) w.WriteStringValue(c.Value);
        w.WriteEndArray();
    }
}
