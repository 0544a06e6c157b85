namespace Traceability.Core.Records;

/// <summary>The kinds of KP record the system hashes and anchors.</summary>
public enum RecordKind
{
    /// <summary>A rough-diamond parcel (origin, or output of a transformation).</summary>
    Parcel,

    /// <summary>A split, merge or sort that consumes parcels and creates others.</summary>
    Transformation,

    /// <summary>A KP certificate for an export shipment.</summary>
    Certificate,

    /// <summary>The importing authority's confirmation of a certificate.</summary>
    ImportConfirmation,
}

/// <summary>The JSON names of <see cref="RecordKind"/>.</summary>
public static class RecordKindNames
{
    /// <summary>"parcel", "transformation", "certificate" or "importConfirmation".</summary>
    public static string ToJsonName(this RecordKind kind) => kind switch
    {
        RecordKind.Parcel => "parcel",
        RecordKind.Transformation => "transformation",
        RecordKind.Certificate => "certificate",
        RecordKind.ImportConfirmation => "importConfirmation",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The kind with this JSON name, or null.</summary>
    public static RecordKind? FromJsonName(string name) => name switch
    {
        "parcel" => RecordKind.Parcel,
        "transformation" => RecordKind.Transformation,
        "certificate" => RecordKind.Certificate,
        "importConfirmation" => RecordKind.ImportConfirmation,
        _ => null,
    };
}
