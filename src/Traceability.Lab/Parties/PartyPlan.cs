using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using static Traceability.Lab.Demo.DemoDocuments;

namespace Traceability.Lab.Parties;

/// <summary>What a party does on the chain: a member registers parcels and transformations, an authority issues or confirms certificates.</summary>
public enum PartyRole
{
    /// <summary>A member of a participant (a miner): origin parcels and sorts.</summary>
    Member,

    /// <summary>An exporting participant's KP authority: certificates for its members' parcels.</summary>
    ExportingAuthority,

    /// <summary>The importing participant's KP authority: import confirmations.</summary>
    ImportingAuthority,
}

/// <summary>One party of the run: who it is, its account, and the documents its own anchoring service anchors.</summary>
/// <param name="Name">A short name (its service folder's name).</param>
/// <param name="Role">What it anchors.</param>
/// <param name="Participant">The KP participant it belongs to.</param>
/// <param name="AccountIndex">Its account of the development mnemonic.</param>
public sealed record Party(string Name, PartyRole Role, ParticipantCode Participant, int AccountIndex)
{
    /// <summary>Its address.</summary>
    public string Address => DevChain.DevNetwork.Account(AccountIndex).Address;
}

/// <summary>
/// The documents of a multi-party run, made up front: two members (Debswana, BW; a Berbérati cooperative, CF) each mine origin parcels and
/// sort some of them; their authorities certify the rest to AE, two parcels a certificate; the AE authority confirms every import.
/// A member's documents arrive in waves; a certificate once its parcels are on chain; a confirmation (with its certificate) once that is issued.
/// </summary>
public sealed class PartyPlan
{
    /// <summary>Governance (account 0) and the parties, by the demo's accounts.</summary>
    public static readonly Party Debswana = new("debswana", PartyRole.Member, ParticipantCode.Parse("BW"), 6),
        Berberati = new("berberati", PartyRole.Member, ParticipantCode.Parse("CF"), 10),
        BwAuthority = new("bw-authority", PartyRole.ExportingAuthority, ParticipantCode.Parse("BW"), 1),
        CfAuthority = new("cf-authority", PartyRole.ExportingAuthority, ParticipantCode.Parse("CF"), 4),
        AeAuthority = new("ae-authority", PartyRole.ImportingAuthority, ParticipantCode.Parse("AE"), 2);

    /// <summary>The five parties, members first.</summary>
    public static readonly IReadOnlyList<Party> Parties = [Debswana, Berberati, BwAuthority, CfAuthority, AeAuthority];

    /// <summary>Waves a member's documents arrive in.</summary>
    public const int Waves = 6;

    private PartyPlan(Dictionary<Party, List<List<KpRecord>>> waves, Dictionary<Party, List<(CertificateRecord Certificate, ImportConfirmationRecord Confirmation)>> shipments)
    {
        MemberWaves = waves;
        Shipments = shipments;
    }

    /// <summary>Each member's documents, wave by wave (a sort comes in the wave of its inputs).</summary>
    public IReadOnlyDictionary<Party, List<List<KpRecord>>> MemberWaves { get; }

    /// <summary>Each exporting authority's certificates, each with the AE authority's confirmation of it.</summary>
    public IReadOnlyDictionary<Party, List<(CertificateRecord Certificate, ImportConfirmationRecord Confirmation)>> Shipments { get; }

    /// <summary>The documents <paramref name="party"/> anchors itself.</summary>
    public IReadOnlyList<KpRecord> RecordsOf(Party party) => party.Role switch
    {
        PartyRole.Member => [.. MemberWaves[party].SelectMany(w => w)],
        PartyRole.ExportingAuthority => [.. Shipments[party].Select(s => s.Certificate)],
        _ => [.. Shipments.Values.SelectMany(s => s).Select(s => s.Confirmation)],
    };

    /// <summary>
    /// Makes the documents: <paramref name="parcelsPerMember"/> origin parcels a member (even, at least 10), a tenth of them sorted in pairs,
    /// the others certified in pairs; dated <paramref name="now"/> (the chain's time).
    /// </summary>
    public static PartyPlan Create(int parcelsPerMember, ulong now)
    {
        if (parcelsPerMember < 10 || parcelsPerMember % 2 != 0) throw new ArgumentOutOfRangeException(nameof(parcelsPerMember), "an even number, at least 10");
        var waves = new Dictionary<Party, List<List<KpRecord>>>();
        var shipments = new Dictionary<Party, List<(CertificateRecord, ImportConfirmationRecord)>>();
        foreach (var (member, authority, mine, usdPerCarat, exporterName) in new[]
        {
            (Debswana, BwAuthority, "Jwaneng", 117.38m, "Okavango Diamond Company, Gaborone"),
            (Berberati, CfAuthority, "Berbérati", 165m, "Berbérati cooperative, Berbérati"),
        })
        {
            var code = member.Participant.Value;
            var parcels = Enumerable.Range(0, parcelsPerMember)
                .Select(i => Parcel(code, $"{code}-{mine[..3].ToUpperInvariant()}-{i + 1:D5}", mine, 100m + i % 97 * 13.25m, usdPerCarat, "7102.10", [code], now)).ToList();
            var memberWaves = Enumerable.Range(0, Waves).Select(_ => new List<KpRecord>()).ToList();
            int WaveOf(int index) => index * Waves / parcelsPerMember;
            for (var i = 0; i < parcels.Count; i++) memberWaves[WaveOf(i)].Add(parcels[i]);
            // every tenth pair of parcels is sorted into two assortments; the sort comes in the wave of its second input
            var sorted = new HashSet<int>();
            for (var i = 0; i + 1 < parcels.Count; i += 10)
            {
                var inputs = new[] { parcels[i], parcels[i + 1] };
                var carats = inputs.Sum(p => (decimal)p.Carats) / 100;
                var outputs = new[]
                {
                    Parcel(code, $"{code}-SORT-{i / 10 + 1:D4}-A", "", Math.Round(carats * 0.6m, 2), usdPerCarat * 1.2m, "7102.31", [code], now),
                    Parcel(code, $"{code}-SORT-{i / 10 + 1:D4}-B", "", Math.Round(carats * 0.4m, 2) - 0.01m, usdPerCarat * 0.7m, "7102.31", [code], now),
                };
                memberWaves[WaveOf(i + 1)].Add(TransformationRecord.Create($"{code}-SORT-{i / 10 + 1:D4}", member.Participant, "sort",
                    inputs.Select(p => p.Hash()).Order(), outputs, now, Salt.New()));
                sorted.UnionWith([i, i + 1]);
            }
            waves[member] = memberWaves;
            var free = parcels.Where((_, i) => !sorted.Contains(i)).ToList();
            shipments[authority] = [.. free.Chunk(2).Select((pair, k) =>
            {
                var certificate = Certificate($"{code}2026-{k + 1:D6}", code, "AE", pair, now, 60, $"KP authority of {code}", exporterName, "Dubai rough trader DMCC, Dubai");
                return (certificate, Confirmation(certificate, now + 600, "UAE Kimberley Process Office, Dubai"));
            })];
        }
        return new PartyPlan(waves, shipments);
    }
}
