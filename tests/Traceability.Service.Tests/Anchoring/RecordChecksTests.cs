using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Traceability.Chain.Registry;
using Traceability.Core.Json;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Service.Anchoring;
using Traceability.Service.Store;
using Traceability.Testing;

namespace Traceability.Service.Tests.Anchoring;

/// <summary>
/// The anchorer's decisions (ready, defer, reject, on chain) without a chain: the checks read a fake
/// registry (<see cref="FakeRegistryView"/>) and a store in a temporary folder.
/// </summary>
[Trait("Category", "Fast")]
public sealed class RecordChecksTests : IDisposable
{
    private readonly RecordStore _store = new(Path.Combine(Directory.CreateTempSubdirectory("kp-checks-").FullName, "store.db"));
    private readonly FakeRegistryView _chain = new();
    private readonly ParsedRecords _parsed;
    private readonly RecordChecks _checks;

    public RecordChecksTests()
    {
        _parsed = new ParsedRecords(_store);
        _checks = new RecordChecks(_chain, _store, _parsed, NullLogger<RecordChecks>.Instance);
    }

    public void Dispose() => _store.Dispose();

    /// <summary>Stores <paramref name="record"/> as the intake and validation would: pending, and returns it as a candidate.</summary>
    private Candidate Pending(KpRecord record)
    {
        var (id, _) = _store.Receive([new IncomingDocument("test", Encoding.UTF8.GetBytes(RecordJson.Write(record)))])[0];
        _store.MarkPending([(id, record, record.Hash())]);
        return new Candidate(_store.ById(id)!, record, record.Hash());
    }

    /// <summary>A candidate that is not in the store (its parents' being in flight is what the store says).</summary>
    private static Candidate Loose(KpRecord record) =>
        new(new StoredRecord { Id = -1, Source = "test", Stage = RecordStage.Pending, RecordKind = record.Kind, Hash = record.Hash() }, record, record.Hash());

    private async Task<Verdict> CheckOne(Candidate item, bool careful = true) => (await _checks.CheckAsync(item.Record.Kind, [item], careful)).Single();

    [Fact]
    public async Task Parcels_already_on_chain_count_as_anchored_the_others_are_ready()
    {
        var known = SampleRecords.OriginParcel();
        var fresh = SampleRecords.OriginParcel();
        _chain.Parcel(known.Hash(), ParcelStatus.Active);
        var verdicts = await _checks.CheckAsync(RecordKind.Parcel, [Loose(known), Loose(fresh)]);
        Assert.Equal([CheckOutcome.OnChain, CheckOutcome.Ready], verdicts.Select(v => v.Outcome));
    }

    [Fact]
    public async Task Origin_parcels_on_the_fast_path_are_ready_without_reading_their_states()
    {
        var verdicts = await _checks.CheckAsync(RecordKind.Parcel, [Loose(SampleRecords.OriginParcel()), Loose(SampleRecords.OriginParcel())], careful: false);
        Assert.All(verdicts, v => Assert.Equal(CheckOutcome.Ready, v.Outcome));
        Assert.Equal(0, _chain.ParcelReads);
    }

    [Fact]
    public async Task A_parcel_of_another_participant_is_refused_not_anchored_under_the_wrong_country()
    {
        var v = await CheckOne(Loose(SampleRecords.OriginParcel("AE")));
        Assert.Equal((CheckOutcome.Reject, "participant", "participant"), (v.Outcome, v.Rule, v.Field));
        Assert.Contains("for BW", v.Reason);
    }

    [Fact]
    public async Task A_parcel_while_the_service_account_is_no_member_is_refused_as_NotAMember_and_taken_once_it_is()
    {
        _chain.Member = null;
        var v = await CheckOne(Loose(SampleRecords.OriginParcel()));
        Assert.Equal((CheckOutcome.Reject, "NotAMember"), (v.Outcome, v.Rule));
        _chain.Member = SampleRecords.Code("BW"); // an authority added the account while the service runs
        Assert.Equal(CheckOutcome.Ready, (await CheckOne(Loose(SampleRecords.OriginParcel()))).Outcome);
    }

    [Fact]
    public async Task Parents_before_children_a_transformation_waits_for_a_parent_still_pending_here()
    {
        var parent = SampleRecords.OriginParcel();
        Pending(parent);
        var sort = SampleRecords.Transformation("BW", [parent.Hash()], [SampleRecords.DerivedParcel("BW", 100_000, "BW")]);
        Assert.Equal(CheckOutcome.Defer, (await CheckOne(Loose(sort))).Outcome);
        _chain.Parcel(parent.Hash(), ParcelStatus.Active); // anchored now
        Assert.Equal(CheckOutcome.Ready, (await CheckOne(Loose(sort))).Outcome);
    }

    [Fact]
    public async Task A_parent_that_is_the_output_of_a_pending_transformation_is_in_flight()
    {
        var origin = SampleRecords.OriginParcel();
        _chain.Parcel(origin.Hash(), ParcelStatus.Active);
        var lot = SampleRecords.DerivedParcel("BW", 100_000, "BW");
        Pending(SampleRecords.Transformation("BW", [origin.Hash()], [lot]));
        var split = SampleRecords.Transformation("BW", [lot.Hash()], [SampleRecords.DerivedParcel("BW", 50_000, "BW")], "split");
        Assert.Equal(CheckOutcome.Defer, (await CheckOne(Loose(split))).Outcome);
    }

    [Fact]
    public async Task A_parent_confirmed_here_after_the_chain_was_read_waits_a_round_rather_than_be_an_unknown_parent()
    {
        // the chain read said "no such parcel"; by the time the store is asked, the parent's batch was mined and confirmed
        var parent = Pending(SampleRecords.OriginParcel());
        _store.MarkConfirmed([parent.Stored.Id], $"0x{1:x64}", 7);
        var sort = SampleRecords.Transformation("BW", [parent.Hash], [SampleRecords.DerivedParcel("BW", 100_000, "BW")]);
        Assert.Equal(CheckOutcome.Defer, (await CheckOne(Loose(sort))).Outcome);
        var certificate = Signed(SampleRecords.Certificate("BW", "AE", [parent.Hash]), _chain.Now + 60);
        Assert.Equal(CheckOutcome.Defer, (await CheckOne(Loose(certificate))).Outcome);
    }

    [Fact]
    public async Task An_output_of_a_transformation_confirmed_after_the_chain_was_read_waits_a_round_rather_than_be_an_unknown_parcel()
    {
        // batches are confirmed in the background: between this round's chain read and its store lookup, the transformation
        // making the shipped lot was mined and marked confirmed, so the store no longer counts its outputs in flight
        var input = SampleRecords.OriginParcel();
        var lot = SampleRecords.DerivedParcel("BW", 100_000, "BW");
        var sort = Pending(SampleRecords.Transformation("BW", [input.Hash()], [lot]));
        var certificate = Signed(SampleRecords.Certificate("BW", "AE", [lot.Hash()]), _chain.Now + 60);
        _chain.AfterNextParcelRead = () =>
        {
            _chain.Parcel(lot.Hash(), ParcelStatus.Active);
            _store.MarkConfirmed([sort.Stored.Id], $"0x{2:x64}", 8);
        };

        Assert.Equal(CheckOutcome.Defer, (await CheckOne(Loose(certificate))).Outcome);
        Assert.Equal(CheckOutcome.Ready, (await CheckOne(Loose(certificate))).Outcome); // the next round finds it on chain
    }

    [Fact]
    public async Task A_transformation_of_an_unknown_parcel_is_rejected_so_a_smuggled_parcel_never_waits()
    {
        var smuggled = SampleRecords.OriginParcel();
        var v = await CheckOne(Loose(SampleRecords.Transformation("BW", [smuggled.Hash()], [SampleRecords.DerivedParcel("BW", 1_000, "BW")])));
        Assert.Equal((CheckOutcome.Reject, "UnknownParcel", "inputs[0]"), (v.Outcome, v.Rule, v.Field));
    }

    [Fact]
    public async Task A_transformation_of_a_consumed_or_foreign_parcel_is_rejected_with_the_contracts_reason()
    {
        var consumed = SampleRecords.OriginParcel();
        var foreign = SampleRecords.OriginParcel();
        _chain.Parcel(consumed.Hash(), ParcelStatus.Consumed);
        _chain.Parcel(foreign.Hash(), ParcelStatus.Active, holder: "AE");
        var reuse = await CheckOne(Loose(SampleRecords.Transformation("BW", [consumed.Hash()], [SampleRecords.DerivedParcel("BW", 1_000, "BW")])));
        var notHeld = await CheckOne(Loose(SampleRecords.Transformation("BW", [foreign.Hash()], [SampleRecords.DerivedParcel("BW", 1_000, "BW")])));
        Assert.Equal((CheckOutcome.Reject, "ParcelNotActive"), (reuse.Outcome, reuse.Rule));
        Assert.Equal((CheckOutcome.Reject, "ParcelNotHeld"), (notHeld.Outcome, notHeld.Rule));
    }

    [Fact]
    public async Task Of_two_transformations_using_one_parcel_the_first_is_ready_and_the_second_waits()
    {
        var p = SampleRecords.OriginParcel();
        _chain.Parcel(p.Hash(), ParcelStatus.Active);
        var first = SampleRecords.Transformation("BW", [p.Hash()], [SampleRecords.DerivedParcel("BW", 1_000, "BW")]);
        var second = SampleRecords.Transformation("BW", [p.Hash()], [SampleRecords.DerivedParcel("BW", 1_000, "BW")]);
        var verdicts = await _checks.CheckAsync(RecordKind.Transformation, [Loose(first), Loose(second)]);
        Assert.Equal([CheckOutcome.Ready, CheckOutcome.Defer], verdicts.Select(v => v.Outcome));
    }

    [Fact]
    public async Task A_transformation_on_chain_counts_as_anchored_and_an_inactive_member_cannot_record_one()
    {
        var p = SampleRecords.OriginParcel();
        _chain.Parcel(p.Hash(), ParcelStatus.Active);
        var done = SampleRecords.Transformation("BW", [p.Hash()], [SampleRecords.DerivedParcel("BW", 1_000, "BW")]);
        _chain.Transformations.Add(done.Hash());
        Assert.Equal(CheckOutcome.OnChain, (await CheckOne(Loose(done))).Outcome);
        _chain.MemberActive = false;
        var v = await CheckOne(Loose(SampleRecords.Transformation("BW", [p.Hash()], [SampleRecords.DerivedParcel("BW", 1_000, "BW")])));
        Assert.Equal((CheckOutcome.Reject, "NotAMember", "document"), (v.Outcome, v.Rule, v.Field));
    }

    private CertificateRecord ShippableCertificate(out ParcelRecord parcel)
    {
        parcel = SampleRecords.OriginParcel();
        _chain.Parcel(parcel.Hash(), ParcelStatus.Active);
        return SampleRecords.Certificate("BW", "AE", [parcel.Hash()]);
    }

    private static CertificateRecord Signed(CertificateRecord c, ulong deadline) =>
        c with { Authorization = new CertificateAuthorization("0x00000000000000000000000000000000000000B2", deadline, "0x" + new string('1', 130), 31337, "0x00000000000000000000000000000000000000C3") };

    [Fact]
    public async Task A_signed_certificate_is_ready_until_its_signature_expires()
    {
        var cert = ShippableCertificate(out _);
        Assert.Equal(CheckOutcome.Ready, (await CheckOne(Loose(Signed(cert, _chain.Now + 60)))).Outcome);
        var v = await CheckOne(Loose(Signed(cert, _chain.Now - 1)));
        Assert.Equal((CheckOutcome.Reject, "SignatureExpired", "authorization.deadline"), (v.Outcome, v.Rule, v.Field));
    }

    [Fact]
    public async Task An_unsigned_certificate_is_issued_only_by_an_authority_of_the_exporter()
    {
        var cert = ShippableCertificate(out _);
        var v = await CheckOne(Loose(cert));
        Assert.Equal((CheckOutcome.Reject, "authorization", "authorization"), (v.Outcome, v.Rule, v.Field));
        _chain.Authorities.Add((cert.Exporter, _chain.Account));
        Assert.Equal(CheckOutcome.Ready, (await CheckOne(Loose(cert))).Outcome);
    }

    [Fact]
    public async Task A_certificate_waits_for_a_parcel_on_its_way_and_refuses_one_that_is_not()
    {
        var onItsWay = SampleRecords.OriginParcel();
        Pending(onItsWay);
        var waits = Signed(SampleRecords.Certificate("BW", "AE", [onItsWay.Hash()]), _chain.Now + 60);
        Assert.Equal(CheckOutcome.Defer, (await CheckOne(Loose(waits))).Outcome);
        var smuggled = Signed(SampleRecords.Certificate("BW", "AE", [SampleRecords.OriginParcel().Hash()]), _chain.Now + 60);
        var v = await CheckOne(Loose(smuggled));
        Assert.Equal((CheckOutcome.Reject, "UnknownParcel", "parcels[0]"), (v.Outcome, v.Rule, v.Field));
    }

    [Fact]
    public async Task A_certificate_on_record_is_anchored_when_its_content_matches_and_refused_when_not()
    {
        var cert = Signed(ShippableCertificate(out _), _chain.Now + 60);
        _chain.Certificate(cert.Exporter, cert.NumberHash, CertificateStatus.Issued, (uint)cert.ExpiresAt, cert.Hash());
        Assert.Equal(CheckOutcome.OnChain, (await CheckOne(Loose(cert))).Outcome);
        var other = Signed(SampleRecords.Certificate("BW", "AE", [.. cert.Parcels], carats: 1_000, number: cert.Number), _chain.Now + 60);
        var v = await CheckOne(Loose(other));
        Assert.Equal((CheckOutcome.Reject, "AlreadyRegistered", "number"), (v.Outcome, v.Rule, v.Field));
    }

    [Fact]
    public async Task Two_certificates_of_one_parcel_in_a_round_the_second_waits()
    {
        var first = Signed(ShippableCertificate(out var parcel), _chain.Now + 60);
        var second = Signed(SampleRecords.Certificate("BW", "AE", [parcel.Hash()]), _chain.Now + 60);
        var verdicts = await _checks.CheckAsync(RecordKind.Certificate, [Loose(first), Loose(second)]);
        Assert.Equal([CheckOutcome.Ready, CheckOutcome.Defer], verdicts.Select(v => v.Outcome));
    }

    [Fact]
    public async Task A_confirmation_of_a_certificate_not_anchored_here_is_rejected_and_one_on_its_way_waits()
    {
        var cert = SampleRecords.Certificate("BW", "AE", [SampleRecords.OriginParcel().Hash()]);
        var v = await CheckOne(Loose(SampleRecords.Confirmation(cert)));
        Assert.Equal((CheckOutcome.Reject, "unknown-certificate", "certificateNumber"), (v.Outcome, v.Rule, v.Field));
        Pending(cert);
        Assert.Equal(CheckOutcome.Defer, (await CheckOne(Loose(SampleRecords.Confirmation(cert)))).Outcome);
    }

    [Fact]
    public async Task A_confirmation_is_ready_with_its_certificate_before_expiry_and_refused_after()
    {
        var cert = SampleRecords.Certificate("BW", "AE", [SampleRecords.OriginParcel().Hash()]);
        Confirmed(cert);
        _chain.Certificate(cert.Exporter, cert.NumberHash, CertificateStatus.Issued, (uint)cert.ExpiresAt, cert.Hash());
        _chain.Now = cert.ExpiresAt - 10;
        var ready = await CheckOne(Loose(SampleRecords.Confirmation(cert)));
        Assert.Equal(CheckOutcome.Ready, ready.Outcome);
        Assert.Equal(cert.Hash(), ready.Certificate!.Hash());
        _chain.Now = cert.ExpiresAt + 1;
        var late = await CheckOne(Loose(SampleRecords.Confirmation(cert)));
        Assert.Equal((CheckOutcome.Reject, "CertificateExpired"), (late.Outcome, late.Rule));
    }

    [Fact]
    public async Task A_confirmation_already_recorded_is_anchored_and_another_one_for_the_same_import_is_refused()
    {
        var cert = SampleRecords.Certificate("BW", "AE", [SampleRecords.OriginParcel().Hash()]);
        Confirmed(cert);
        var confirmation = SampleRecords.Confirmation(cert);
        _chain.Confirmations[(cert.Exporter, cert.NumberHash)] = confirmation.Hash();
        Assert.Equal(CheckOutcome.OnChain, (await CheckOne(Loose(confirmation))).Outcome);
        var v = await CheckOne(Loose(SampleRecords.Confirmation(cert)));
        Assert.Equal((CheckOutcome.Reject, "CertificateNotIssued"), (v.Outcome, v.Rule));
    }

    [Fact]
    public async Task A_confirmation_whose_own_transaction_is_mined_between_the_reads_counts_as_anchored_not_refused()
    {
        // its own transaction (sent before a crash, or by another instance) mined between the read of the confirmation and the
        // read of the certificate: the certificate is confirmed by this very confirmation, so it is anchored; one of another
        // content mined meanwhile is still refused
        var cert = SampleRecords.Certificate("BW", "AE", [SampleRecords.OriginParcel().Hash()]);
        Confirmed(cert);
        _chain.Certificate(cert.Exporter, cert.NumberHash, CertificateStatus.Issued, (uint)cert.ExpiresAt, cert.Hash());
        var confirmation = SampleRecords.Confirmation(cert);
        void MinedMeanwhile(Hash32 recorded) => _chain.AfterNextConfirmationRead = () =>
        {
            _chain.Certificate(cert.Exporter, cert.NumberHash, CertificateStatus.Confirmed, (uint)cert.ExpiresAt, cert.Hash());
            _chain.Confirmations[(cert.Exporter, cert.NumberHash)] = recorded;
        };

        MinedMeanwhile(confirmation.Hash());
        Assert.Equal(CheckOutcome.OnChain, (await CheckOne(Loose(confirmation))).Outcome);

        _chain.Confirmations.Clear();
        _chain.Certificate(cert.Exporter, cert.NumberHash, CertificateStatus.Issued, (uint)cert.ExpiresAt, cert.Hash());
        MinedMeanwhile(SampleRecords.Confirmation(cert).Hash());
        var other = await CheckOne(Loose(confirmation));
        Assert.Equal((CheckOutcome.Reject, "CertificateNotIssued"), (other.Outcome, other.Rule));
        Assert.Contains("another confirmation", other.Reason);
    }

    [Fact]
    public async Task A_confirmation_finds_its_certificate_by_exporter_and_number_not_by_number_alone()
    {
        var cert = SampleRecords.Certificate("BW", "AE", [SampleRecords.OriginParcel().Hash()], number: "KP-0001");
        Confirmed(SampleRecords.Certificate("CA", "AE", [SampleRecords.OriginParcel().Hash()], number: "KP-0001")); // another exporter's series
        var v = await CheckOne(Loose(SampleRecords.Confirmation(cert)));
        Assert.Equal((CheckOutcome.Reject, "unknown-certificate"), (v.Outcome, v.Rule));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(1)]
    public async Task A_confirmation_whose_carats_differ_from_the_certificates_is_refused_naming_carats(int factor)
    {
        var cert = SampleRecords.Certificate("BW", "AE", [SampleRecords.OriginParcel().Hash()]);
        Confirmed(cert);
        _chain.Certificate(cert.Exporter, cert.NumberHash, CertificateStatus.Issued, (uint)cert.ExpiresAt, cert.Hash());
        _chain.Now = cert.ExpiresAt - 10;
        var inflated = SampleRecords.Confirmation(cert) with { Carats = cert.Details.Carats * (ulong)factor + (factor == 1 ? 1UL : 0UL) };
        var v = await CheckOne(Loose(inflated));
        Assert.Equal((CheckOutcome.Reject, "carats", "carats"), (v.Outcome, v.Rule, v.Field));
        Assert.Equal(CheckOutcome.Ready, (await CheckOne(Loose(SampleRecords.Confirmation(cert)))).Outcome);
    }

    private void Confirmed(CertificateRecord cert)
    {
        var item = Pending(cert);
        var batch = _store.StartBatch(RecordKind.Certificate, [item.Stored.Id]);
        _store.BatchConfirmed(batch, "0x" + new string('e', 64), 1, 100_000);
    }
}
