using Traceability.Chain.Registry;
using Traceability.Chain.Signing;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Testing;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Chain.Tests.Registry;

/// <summary>Lookups by the registry's events: a certificate's life, a participant, the current authorities and members.</summary>
[Trait("Category", "Chain")]
[Collection("hardhat")]
public class RegistryHistoryTests(HardhatFixture fixture)
{
    private static readonly ParticipantCode Bw = ParticipantCode.Parse("BW"), Ae = ParticipantCode.Parse("AE"), In = ParticipantCode.Parse("IN"), Cf = ParticipantCode.Parse("CF");

    private static string Address(int index) => Account(index).Address;

    [Fact]
    public async Task A_certificates_events_come_in_chain_order_with_their_transactions_blocks_and_times()
    {
        using var r = await TestRegistry.DeployAsync(fixture.Node);
        var history = new RegistryHistory(r.Reader, r.Deployment.BlockNumber);
        var now = await r.Reader.BlockTimestampAsync();
        var parcels = await r.RegisterOriginAsync(BwMiner, "BW", 2);

        // relayed (signed by the BW authority, sent by the relayer), flagged, cleared, voided
        var cert = CertificateSigner.Sign(SampleRecords.Certificate("BW", "AE", [parcels[0].Hash()], carats: 100_000, issuedAt: now), now + 3600, Account(BwAuthority), r.Domain);
        var key = RegistryKeys.Certificate(Bw, cert.NumberHash);
        var issued = await r.As(Relayer).RelayCertificateAsync(cert);
        var flagged = await r.As(Governor).SetFlagAsync(FlaggableKind.Certificate, key, RecordFlag.Fraudulent, FlagCategory.Sanctions, "case 9");
        var cleared = await r.As(Governor).SetFlagAsync(FlaggableKind.Certificate, key, RecordFlag.None, FlagCategory.InvestigationClosed, "case 9 closed");
        var voided = await r.As(BwAuthority).VoidCertificateAsync(cert);
        // another certificate's flag and events are not this one's
        var other = SampleRecords.Certificate("BW", "AE", [parcels[1].Hash()], carats: 100_000, issuedAt: now);
        await r.As(BwAuthority).IssueCertificateAsync(other);
        await r.As(Governor).SetFlagAsync(FlaggableKind.Certificate, RegistryKeys.Certificate(Bw, other.NumberHash), RecordFlag.Suspicious, FlagCategory.Other, "x");

        var before = r.Rpc.RoundTrips;
        var h = await history.CertificateAsync(Bw, cert.NumberHash);
        Assert.True(r.Rpc.RoundTrips - before <= 3, $"{r.Rpc.RoundTrips - before} round trips"); // head, one batch of events and state, one batch of headers

        Assert.True(h.Exists);
        Assert.Equal(key, h.Key);
        Assert.Equal(CertificateStatus.Voided, h.State.Status);
        Assert.Equal([CertificateEventKind.Issued, CertificateEventKind.Flagged, CertificateEventKind.Unflagged, CertificateEventKind.Voided], h.Events.Select(e => e.Kind));
        Assert.Equal([issued.Hash, flagged.Hash, cleared.Hash, voided.Hash], h.Events.Select(e => e.Mark.TransactionHash));
        Assert.Equal([issued.BlockNumber, flagged.BlockNumber, cleared.BlockNumber, voided.BlockNumber], h.Events.Select(e => e.Mark.BlockNumber));
        foreach (var e in h.Events)
        {
            Assert.Equal(await r.Reader.BlockTimestampAsync("0x" + e.Mark.BlockNumber.ToString("x", System.Globalization.CultureInfo.InvariantCulture)), e.Mark.BlockTime);
        }

        var i = h.Events[0];
        Assert.Equal(Address(BwAuthority), i.Authority);
        Assert.Equal(Address(Relayer), i.Relayer);
        Assert.Equal(Ae, i.Importer);
        Assert.Equal(cert.Hash(), i.RecordHash);
        Assert.Equal(cert.ExpiresAt, i.ExpiresAt);
        Assert.Equal(1, i.ParcelCount);
        Assert.Equal((RecordFlag.Fraudulent, FlagCategory.Sanctions, Keccak.Hash("case 9")), (h.Events[1].Flag!.Value, h.Events[1].Category!.Value, h.Events[1].EvidenceHash!.Value));
        Assert.Equal(RecordFlag.None, h.Events[2].Flag);
        Assert.Equal(Address(BwAuthority), h.Events[3].Authority);

        // a number never issued, or issued by another exporter: no events
        var never = await history.CertificateAsync(Bw, Keccak.Hash("BW2026-9"));
        Assert.False(never.Exists);
        Assert.Empty(never.Events);
        Assert.Equal(CertificateStatus.None, never.State.Status);
        Assert.False((await history.CertificateAsync(Ae, cert.NumberHash)).Exists);
    }

    [Fact]
    public async Task Directories_replay_additions_and_removals_and_a_participant_shows_its_governance_events()
    {
        using var r = await TestRegistry.DeployAsync(fixture.Node);
        var history = new RegistryHistory(r.Reader, r.Deployment.BlockNumber);
        await r.As(BwAuthority).RemoveMemberAsync(Address(BwTrader));
        await r.As(Governor).RemoveAuthorityAsync(Address(InAuthority));
        var suspended = await r.As(Governor).SuspendParticipantAsync(Cf);
        var reinstated = await r.As(Governor).ReinstateParticipantAsync(Cf);

        var bwMembers = await history.MembersAsync(Bw);
        Assert.Equal([Address(BwMiner)], bwMembers.Select(m => m.Account));
        Assert.Equal([Address(BwMiner), Address(AeTrader), Address(InCutter), Address(CfMiner)], (await history.MembersAsync()).Select(m => m.Account));
        var authorities = await history.AuthoritiesAsync();
        Assert.Equal([(Bw, Address(BwAuthority)), (Ae, Address(AeAuthority)), (Cf, Address(CfAuthority)), (ParticipantCode.Parse("EU"), Address(EuAuthority))],
            authorities.Select(a => (a.Participant, a.Account)));
        Assert.Empty(await history.AuthoritiesAsync(In));
        Assert.All(authorities, a => Assert.Null(a.MemberIndex));

        // re-activated: back, with its old index and the block of the new addition
        var (_, _, index) = await r.Reader.MemberOfAsync(Address(BwTrader));
        var again = await r.As(BwAuthority).AddMemberAsync(Address(BwTrader));
        var trader = (await history.MembersAsync(Bw)).Single(m => m.Account == Address(BwTrader));
        Assert.Equal(index, trader.MemberIndex);
        Assert.Equal(again.Hash, trader.Added.TransactionHash);
        Assert.Equal(again.BlockNumber, trader.Added.BlockNumber);
        Assert.Equal(await r.Reader.BlockTimestampAsync("0x" + again.BlockNumber.ToString("x", System.Globalization.CultureInfo.InvariantCulture)), trader.Added.BlockTime);

        var cf = await history.ParticipantAsync(Cf);
        Assert.True(cf.Exists);
        Assert.Equal(ParticipantStatus.Active, cf.Status);
        Assert.Equal([ParticipantEventKind.Added, ParticipantEventKind.Suspended, ParticipantEventKind.Reinstated], cf.Events.Select(e => e.Kind));
        Assert.Equal([suspended.Hash, reinstated.Hash], cf.Events.Skip(1).Select(e => e.Mark.TransactionHash));
        Assert.True(cf.Added!.BlockNumber >= r.Deployment.BlockNumber);
        Assert.Equal([Address(CfAuthority)], cf.Authorities.Select(a => a.Account));
        Assert.Equal([Address(CfMiner)], cf.Members.Select(m => m.Account));

        var unknown = await history.ParticipantAsync(ParticipantCode.Parse("ZZ"));
        Assert.False(unknown.Exists);
        Assert.Empty(unknown.Events);
        Assert.Null(unknown.Added);
    }
}
