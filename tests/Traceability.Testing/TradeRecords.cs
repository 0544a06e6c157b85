using Traceability.Core.Primitives;
using Traceability.Core.Records;

namespace Traceability.Testing;

/// <summary>
/// The records of <see cref="TradeStory"/>'s trade built offline (no chain): BW mine output sorted and exported to
/// the UAE (certificate with a relay authorization, confirmed), a Berbérati (CF) parcel exported to the UAE
/// (confirmed), mixed there, split, and re-exported to India.
/// </summary>
public static class TradeRecords
{
    /// <summary>Every record of the trade: parcels, transformations, certificates and confirmations.</summary>
    public static IReadOnlyList<KpRecord> Build()
    {
        var now = SampleRecords.Nov2026;
        var bw = Enumerable.Range(0, 4).Select(_ => SampleRecords.OriginParcel("BW", 100_000)).ToList();
        var cf = SampleRecords.OriginParcel("CF", 20_000, "Berbérati");
        var sorted = new[] { SampleRecords.DerivedParcel("BW", 90_000, "BW"), SampleRecords.DerivedParcel("BW", 60_000, "BW"), SampleRecords.DerivedParcel("BW", 50_000, "BW") };
        var sort = SampleRecords.Transformation("BW", bw.Take(2).Select(p => p.Hash()), sorted, "sort");
        Hash32[] shipment = [.. sorted.Select(p => p.Hash()), .. bw.Skip(2).Select(p => p.Hash())];
        var bwToAe = SampleRecords.Certificate("BW", "AE", shipment, carats: 400_000, issuedAt: now, origins: ["BW"]) with
        {
            Authorization = new CertificateAuthorization("0x" + new string('a', 40), now + 3600, "0x" + new string('1', 130), 31337, "0x" + new string('b', 40)),
        };
        var bwToAeConfirmation = SampleRecords.Confirmation(bwToAe, now + 60);
        var cfToAe = SampleRecords.Certificate("CF", "AE", [cf.Hash()], carats: 20_000, issuedAt: now, origins: ["CF"]);
        var cfToAeConfirmation = SampleRecords.Confirmation(cfToAe, now + 60);
        var lot = SampleRecords.DerivedParcel("AE", 420_000, "BW", "CF");
        var merge = SampleRecords.Transformation("AE", [.. shipment, cf.Hash()], [lot], "merge");
        var mixed = new[] { SampleRecords.DerivedParcel("AE", 250_000, "BW", "CF"), SampleRecords.DerivedParcel("AE", 170_000, "BW", "CF") };
        var split = SampleRecords.Transformation("AE", [lot.Hash()], mixed, "split");
        var aeToIn = SampleRecords.Certificate("AE", "IN", [.. mixed.Select(p => p.Hash())], carats: 420_000, issuedAt: now, origins: ["BW", "CF"]);
        return [.. bw, cf, .. sorted, lot, .. mixed, sort, merge, split, bwToAe, bwToAeConfirmation, cfToAe, cfToAeConfirmation, aeToIn];
    }
}
