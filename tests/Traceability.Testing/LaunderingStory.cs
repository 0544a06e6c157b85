using Traceability.Core.Participants;
using Traceability.Core.Records;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Testing;

/// <summary>
/// Restricted rough laundered through a hub on a test registry: RU joins as a participant (authority
/// account 13, a miner 14), a Russian origin parcel (300 ct) and a Botswana one (2,700 ct) are exported
/// to AE and confirmed, merged into one lot, split, and one half (1,800 ct, 10 % Russian) re-exported
/// to the EU under a certificate that declares BW and RU. Every check of the chain passes; an origin
/// policy restricting RU stops it.
/// </summary>
public sealed class LaunderingStory
{
    /// <summary>Account indexes of the RU authority and the RU miner.</summary>
    public const int RuAuthority = 13, RuMiner = 14;

    /// <summary>The Russian origin parcel.</summary>
    public required ParcelRecord Russian { get; init; }

    /// <summary>The Botswana origin parcel it was mixed with.</summary>
    public required ParcelRecord Botswana { get; init; }

    /// <summary>The merged lot.</summary>
    public required ParcelRecord Lot { get; init; }

    /// <summary>The two halves of the split; the first is re-exported.</summary>
    public required IReadOnlyList<ParcelRecord> Halves { get; init; }

    /// <summary>The merge and the split.</summary>
    public required IReadOnlyList<TransformationRecord> Transformations { get; init; }

    /// <summary>The AE -> EU certificate of the first half.</summary>
    public required CertificateRecord AeToEu { get; init; }

    /// <summary>Every parcel and transformation document of its lineage.</summary>
    public IEnumerable<KpRecord> Ancestors => [Russian, Botswana, Lot, .. Halves, .. Transformations];

    /// <summary>Adds RU to <paramref name="r"/> and plays the story.</summary>
    public static async Task<LaunderingStory> PlayAsync(TestRegistry r)
    {
        var ru = ParticipantCode.Parse("RU");
        await r.As(Governor).AddParticipantAsync(ru);
        await r.As(Governor).AddAuthorityAsync(ru, Account(RuAuthority).Address);
        await r.As(RuAuthority).AddMemberAsync(Account(RuMiner).Address);
        var now = await r.Reader.BlockTimestampAsync();
        var russian = SampleRecords.OriginParcel("RU", 30_000, "Jubilee");
        await r.As(RuMiner).RegisterParcelsAsync([russian]);
        var botswana = SampleRecords.OriginParcel("BW", 270_000, "Orapa");
        await r.As(BwMiner).RegisterParcelsAsync([botswana]);
        foreach (var (parcel, exporter, authority) in new[] { (russian, "RU", RuAuthority), (botswana, "BW", BwAuthority) })
        {
            var toAe = SampleRecords.Certificate(exporter, "AE", [parcel.Hash()], carats: parcel.Carats, issuedAt: now, origins: [exporter]);
            await r.As(authority).IssueCertificateAsync(toAe);
            await r.As(AeAuthority).ConfirmImportAsync(toAe, SampleRecords.Confirmation(toAe, now + 60));
        }
        var lot = SampleRecords.DerivedParcel("AE", 300_000, "BW", "RU");
        var merge = SampleRecords.Transformation("AE", [russian.Hash(), botswana.Hash()], [lot], "merge");
        await r.As(AeTrader).TransformAsync(merge);
        ParcelRecord[] halves = [SampleRecords.DerivedParcel("AE", 180_000, "BW", "RU"), SampleRecords.DerivedParcel("AE", 120_000, "BW", "RU")];
        var split = SampleRecords.Transformation("AE", [lot.Hash()], halves, "split");
        await r.As(AeTrader).TransformAsync(split);
        var aeToEu = SampleRecords.Certificate("AE", "EU", [halves[0].Hash()], carats: 180_000, issuedAt: now, origins: ["BW", "RU"]);
        await r.As(AeAuthority).IssueCertificateAsync(aeToEu);
        return new LaunderingStory { Russian = russian, Botswana = botswana, Lot = lot, Halves = halves, Transformations = [merge, split], AeToEu = aeToEu };
    }
}
