using Traceability.Chain.Signing;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Testing;

/// <summary>
/// A realistic trade on a test registry: Botswana mine output sorted and exported to the UAE
/// (certificate signed by the BW authority and relayed), confirmed, mixed with a Berbérati (CF)
/// parcel imported earlier, split, and re-exported to India. Every document is kept, so tests can
/// verify, tamper and give ancestors.
/// </summary>
public sealed class TradeStory
{
    /// <summary>Origin parcels mined in BW (4) and CF (1).</summary>
    public required IReadOnlyList<ParcelRecord> Mined { get; init; }

    /// <summary>Outputs of the BW sort.</summary>
    public required IReadOnlyList<ParcelRecord> Sorted { get; init; }

    /// <summary>Outputs of the AE mix-and-split (re-exported to IN).</summary>
    public required IReadOnlyList<ParcelRecord> Mixed { get; init; }

    /// <summary>BW sort (2 → 3), CF export parcels, AE merge (all → 1) and split (1 → 2).</summary>
    public required IReadOnlyList<TransformationRecord> Transformations { get; init; }

    /// <summary>BW → AE certificate (signed, relayed, confirmed).</summary>
    public required CertificateRecord BwToAe { get; init; }

    /// <summary>CF → AE certificate (confirmed).</summary>
    public required CertificateRecord CfToAe { get; init; }

    /// <summary>AE → IN re-export (issued, not yet confirmed).</summary>
    public required CertificateRecord AeToIn { get; init; }

    /// <summary>Import confirmation of <see cref="BwToAe"/>.</summary>
    public required ImportConfirmationRecord BwToAeConfirmation { get; init; }

    /// <summary>Every parcel and transformation document.</summary>
    public IEnumerable<KpRecord> Ancestors => [.. Mined, .. Sorted, .. Mixed, .. Transformations];

    /// <summary>Plays the story on <paramref name="r"/>.</summary>
    public static async Task<TradeStory> PlayAsync(TestRegistry r)
    {
        var now = await r.Reader.BlockTimestampAsync();
        var bw = Enumerable.Range(0, 4).Select(_ => SampleRecords.OriginParcel("BW", 100_000)).ToList();
        var cf = SampleRecords.OriginParcel("CF", 20_000, "Berbérati");
        await r.As(BwMiner).RegisterParcelsAsync(bw);
        await r.As(CfMiner).RegisterParcelsAsync([cf]);

        var sorted = new[] { SampleRecords.DerivedParcel("BW", 90_000, "BW"), SampleRecords.DerivedParcel("BW", 60_000, "BW"), SampleRecords.DerivedParcel("BW", 50_000, "BW") };
        var sort = SampleRecords.Transformation("BW", Hashes(bw.Take(2)), sorted, "sort");
        await r.As(BwTrader).TransformAsync(sort);

        var shipment = Hashes([.. sorted, .. bw.Skip(2)]);
        var bwToAe = CertificateSigner.Sign(
            SampleRecords.Certificate("BW", "AE", shipment, carats: 400_000, issuedAt: now, origins: ["BW"]), now + 3600, Account(BwAuthority), r.Domain);
        await r.As(Relayer).RelayCertificateAsync(bwToAe);
        var confirmation = SampleRecords.Confirmation(bwToAe, now + 60);
        await r.As(AeAuthority).ConfirmImportAsync(bwToAe, confirmation);

        var cfToAe = SampleRecords.Certificate("CF", "AE", [cf.Hash()], carats: 20_000, issuedAt: now, origins: ["CF"]);
        await r.As(CfAuthority).IssueCertificateAsync(cfToAe);
        await r.As(AeAuthority).ConfirmImportAsync(cfToAe, SampleRecords.Confirmation(cfToAe, now + 60));

        var lot = SampleRecords.DerivedParcel("AE", 420_000, "BW", "CF");
        var merge = SampleRecords.Transformation("AE", [.. shipment, cf.Hash()], [lot], "merge");
        await r.As(AeTrader).TransformAsync(merge);
        var mixed = new[] { SampleRecords.DerivedParcel("AE", 250_000, "BW", "CF"), SampleRecords.DerivedParcel("AE", 170_000, "BW", "CF") };
        var split = SampleRecords.Transformation("AE", [lot.Hash()], mixed, "split");
        await r.As(AeTrader).TransformAsync(split);

        var aeToIn = SampleRecords.Certificate("AE", "IN", Hashes(mixed), carats: 420_000, issuedAt: now, origins: ["BW", "CF"]);
        await r.As(AeAuthority).IssueCertificateAsync(aeToIn);
        return new TradeStory
        {
            Mined = [.. bw, cf],
            Sorted = [.. sorted, lot],
            Mixed = mixed,
            Transformations = [sort, merge, split],
            BwToAe = bwToAe,
            CfToAe = cfToAe,
            AeToIn = aeToIn,
            BwToAeConfirmation = confirmation,
        };
    }

    /// <summary>Moves the chain's clock forward and mines a block.</summary>
    public static async Task AdvanceTimeAsync(TestRegistry r, ulong seconds)
    {
        await r.Rpc.RequestAsync("evm_increaseTime", (long)seconds);
        await r.Rpc.RequestAsync("evm_mine");
    }

    /// <summary>A fresh salt (re-exported for tests that forge documents).</summary>
    public static Hash32 NewSalt() => Salt.New();
}
