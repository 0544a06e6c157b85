using Traceability.Core.Hashing;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;

namespace Traceability.Core.Records;

/// <summary>The importing authority's confirmation that a certified shipment arrived.</summary>
/// <param name="CertificateNumber">The certificate's number.</param>
/// <param name="Exporter">Exporting participant.</param>
/// <param name="Importer">Importing participant.</param>
/// <param name="ParcelCount">Number of parcels received.</param>
/// <param name="Carats">Weight received, hundredths of a carat.</param>
/// <param name="ConfirmedAt">Unix seconds.</param>
/// <param name="ConfirmingAuthority">The confirming authority's name.</param>
/// <param name="Salt">Random 32 bytes.</param>
public sealed record ImportConfirmationRecord(
    string CertificateNumber,
    ParticipantCode Exporter,
    ParticipantCode Importer,
    uint ParcelCount,
    ulong Carats,
    ulong ConfirmedAt,
    string ConfirmingAuthority,
    Hash32 Salt) : KpRecord
{
    /// <inheritdoc />
    public override RecordKind Kind => RecordKind.ImportConfirmation;

    /// <inheritdoc />
    public override Eip712Struct ToEip712() =>
        new(RecordSchema.ImportConfirmation.Name,
            [CertificateNumber, Exporter, Importer, ParcelCount, Carats, ConfirmedAt, ConfirmingAuthority, Salt]);
}
