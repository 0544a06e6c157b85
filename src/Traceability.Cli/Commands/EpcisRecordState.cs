using Traceability.Chain.Registry;
using Traceability.Core.Primitives;
using Traceability.Core.Records;

namespace Traceability.Cli.Commands;

/// <summary>Whether the registry holds a record as it is: a parcel or transformation registered, a certificate issued with this content, a confirmation recorded with this hash.</summary>
internal static class EpcisRecordState
{
    public static async Task<bool> IsOnChainAsync(RegistryReader reader, KpRecord record) => record switch
    {
        ParcelRecord p => (await reader.ParcelAsync(p.Hash())).Exists,
        TransformationRecord t => (await reader.TransformationAsync(t.Hash())).Exists,
        CertificateRecord c => await reader.CertificateAsync(c.Exporter, c.Number) is { Exists: true } s && s.Matches(c.Hash()),
        ImportConfirmationRecord i => await reader.ConfirmationOfAsync(i.Exporter, Keccak.Hash(i.CertificateNumber)) == i.Hash(),
        _ => false,
    };
}
