using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Chain.Signing;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Testing;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Verifier.Tests;

/// <summary>
/// Verdicts on one trade story shared by the class (these tests only read it, or add records that
/// do not touch it): every verdict that does not need the chain changed, produced for real on a
/// Hardhat chain. Tests that change the story (void, flag, time) are in <see cref="VerdictChangeTests"/>.
/// </summary>
[Collection("hardhat")]
[Trait("Category", "Chain")]
public class DocumentVerifierTests(HardhatFixture fixture)
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static (string Url, TestRegistry R, TradeStory S)? _shared;

    /// <summary>The class's one deployed and played story (deployed once per node).</summary>
    private async Task<(TestRegistry R, TradeStory S, DocumentVerifier V)> SharedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared is not { } shared || shared.Url != fixture.Node.Url)
            {
                var r = await TestRegistry.DeployAsync(fixture.Node);
                _shared = shared = (fixture.Node.Url, r, await TradeStory.PlayAsync(r));
            }
            return (shared.R, shared.S, new DocumentVerifier(shared.R.Reader, shared.R.Domain, shared.R.Deployment.BlockNumber));
        }
        finally
        {
            Gate.Release();
        }
    }

    private static void Has(VerificationReport report, string check, CheckStatus status) =>
        Assert.Contains(report.Checks, c => c.Name == check && c.Status == status);

    [Fact]
    public async Task A_genuine_certificate_with_its_ancestors_is_Verified_with_its_lineage_and_origins()
    {
        var (r, s, v) = await SharedAsync();
        var report = await v.VerifyAsync(s.AeToIn, s.Ancestors);
        Assert.True(report.IsVerified, string.Join("\n", report.Checks.Where(c => c.Status != CheckStatus.Pass)));
        Assert.Equal(["BW", "CF"], report.Origins.Select(o => o.Value));
        Assert.Equal(2, report.Lineage.Count);
        Assert.Equal(4, report.Lineage[0].Depth); // mixed <- lot <- sorted <- mined
        Assert.Equal(5, report.Lineage[0].Origins().Count());
        Has(report, "lineage.carats-conserved", CheckStatus.Pass);
        Has(report, "lineage.claimed-parents", CheckStatus.Pass);
        Has(report, "lineage.origins", CheckStatus.Pass);
        Has(report, "certificate.carats", CheckStatus.Pass);
    }

    /// <summary>Documents of every kind, genuine and not, with and without their ancestors: what the index must not change the reports of.</summary>
    private static IEnumerable<(KpRecord Document, IReadOnlyList<KpRecord> Ancestors)> EveryKind(TradeStory s)
    {
        var split = s.Transformations[2];
        var lot = s.Sorted[3];
        yield return (s.AeToIn, [.. s.Ancestors]);
        yield return (s.AeToIn, []);
        yield return (s.BwToAe, []);
        yield return (s.CfToAe, [.. s.Mined]);
        yield return (s.AeToIn with { Number = "AE2026999999" }, []);
        yield return (s.AeToIn with { Details = s.AeToIn.Details with { ValueUsdCents = s.AeToIn.Details.ValueUsdCents / 2 } }, []);
        yield return (s.AeToIn, [.. s.Ancestors.Where(a => a != split), split with { Inputs = [s.Mined[0].Hash()] }]);
        yield return (s.AeToIn, [.. s.Ancestors.Where(a => a != lot), lot with { Carats = 100_000 }]);
        yield return (s.BwToAeConfirmation, []);
        yield return (s.Mixed[0], []);
        yield return (s.Mined[0], []);
        yield return (SampleRecords.OriginParcel(), []);
        yield return (s.Transformations[1], []);
        yield return (s.Transformations[1] with { Operation = "split" }, []);
    }

    private static void SameReport(VerificationReport plain, VerificationReport indexed)
    {
        Assert.Equal(plain.Verdict, indexed.Verdict);
        Assert.Equal(plain.Checks.Select(c => (c.Name, c.Status, c.Reason)), indexed.Checks.Select(c => (c.Name, c.Status, c.Reason)));
        Assert.Equal(plain.Origins, indexed.Origins);
        Assert.Equal(plain.Lineage.Select(n => n.Origins().Count()), indexed.Lineage.Select(n => n.Origins().Count()));
        Assert.Equal(plain.Missing, indexed.Missing);
    }

    [Fact]
    public async Task An_index_of_the_events_read_once_gives_the_same_reports_as_the_nodes_logs_in_fewer_round_trips()
    {
        var (r, s, v) = await SharedAsync();
        var index = await VerificationIndex.ReadAsync(r.Reader, r.Deployment.BlockNumber, blocksPerRead: 3);
        Assert.True(index.Count >= 3);
        Assert.InRange(index.Parcels, s.Mined.Count + s.Sorted.Count + s.Mixed.Count, int.MaxValue); // other tests add parcels of their own
        Assert.Equal(s.Mined.Count, index.Registered(s.Mined.Select(p => p.Hash())).Count);
        Assert.Contains(index.Carrying(s.BwToAe.Parcels[0]), l => Hash32.FromBytes(l.Event.NumberHash) == s.BwToAe.NumberHash);
        var indexed = new DocumentVerifier(r.Reader, r.Domain, r.Deployment.BlockNumber) { Index = index };
        var withIndexTrips = 0L;
        var plainTrips = 0L;
        foreach (var (document, ancestors) in EveryKind(s))
        {
            var plain = await v.VerifyAsync(document, ancestors);
            var withIndex = await indexed.VerifyAsync(document, ancestors);
            SameReport(plain, withIndex);
            Assert.True(withIndex.RoundTrips <= plain.RoundTrips, $"{document.Kind}: {withIndex.RoundTrips} round trips with the index, {plain.RoundTrips} without");
            (withIndexTrips, plainTrips) = (withIndexTrips + withIndex.RoundTrips, plainTrips + plain.RoundTrips);
        }
        Assert.True(withIndexTrips < plainTrips, $"{withIndexTrips} round trips with the index, {plainTrips} without");
    }

    [Theory]
    [InlineData(2, VerificationIndex.GasPerRead)]
    [InlineData(50, 1UL)] // every block read alone: each used more gas than a read may
    [InlineData(50, ulong.MaxValue)] // a whole window of 50 blocks in one read
    public async Task The_index_returns_the_events_eth_getLogs_returns(int blocksPerRead, ulong gasPerRead)
    {
        var (r, s, v) = await SharedAsync();
        var index = await VerificationIndex.ReadAsync(r.Reader, r.Deployment.BlockNumber, blocksPerRead, gasPerRead);
        var parcels = s.Mined.Concat(s.Sorted).Concat(s.Mixed).Select(p => p.Hash()).Append(Hash32.Zero).ToList();
        var transformations = s.Transformations.Select(t => t.Hash()).ToList();
        var batch = r.Reader.Batch(ChainRpc.Hex(index.Block.Number));
        var registered = batch.Logs<ParcelRegisteredEvent>(parcels, r.Deployment.BlockNumber);
        var derived = batch.Logs<ParcelDerivedEvent>(parcels, r.Deployment.BlockNumber);
        var transformed = batch.Logs<ParcelsTransformedEvent>(transformations, r.Deployment.BlockNumber);
        var issued = batch.Logs<CertificateIssuedEvent>([s.AeToIn.NumberHash], r.Deployment.BlockNumber);
        await batch.SendAsync();
        static string Text<T>(IEnumerable<RegistryEventLog<T>> logs) where T : IEventDTO, new() =>
            JsonSerializer.Serialize(logs.Select(l => new { l.BlockNumber, l.LogIndex, l.TransactionHash, Event = JsonSerializer.Serialize<object>(l.Event) }));
        Assert.NotEmpty(registered.Value);
        Assert.NotEmpty(derived.Value);
        Assert.Equal(Text(registered.Value), Text(index.Registered(parcels)));
        Assert.Equal(Text(derived.Value), Text(index.Derived(parcels)));
        Assert.Equal(Text(transformed.Value), Text(index.Transformed(transformations)));
        Assert.Equal(Text(issued.Value), Text(index.Issued(s.AeToIn.NumberHash)));
    }

    [Fact]
    public async Task When_the_chain_moves_on_the_index_follows_it_and_the_reports_stay_the_nodes()
    {
        var (r, s, v) = await SharedAsync();
        var index = await VerificationIndex.ReadAsync(r.Reader, r.Deployment.BlockNumber);
        var before = index.Block.Number;
        await r.Reader.Rpc.RequestAsync("evm_mine");
        var later = SampleRecords.OriginParcel("BW", 12_345, "Jwaneng");
        await r.As(BwMiner).RegisterParcelsAsync([later]);
        var indexed = new DocumentVerifier(r.Reader, r.Domain, r.Deployment.BlockNumber) { Index = index };
        foreach (var (document, ancestors) in EveryKind(s).Take(4).Append((later, [])))
        {
            var withIndex = await indexed.VerifyAsync(document, ancestors);
            var plain = await v.VerifyAsync(document, ancestors);
            SameReport(plain, withIndex);
            Assert.Equal(index.Block.Number, withIndex.CheckedAgainst.BlockNumber);
        }
        Assert.True(index.Block.Number >= before + 2, $"the index holds up to block {index.Block.Number}, read at {before}");
        Assert.Single(index.Registered([later.Hash()]));
        Assert.Empty(index.Registered([later.Hash()], before)); // looked up as of an earlier block, the later parcel is not there
    }

    [Fact]
    public async Task Verification_takes_a_small_bounded_number_of_round_trips()
    {
        var (r, s, v) = await SharedAsync();
        var report = await v.VerifyAsync(s.AeToIn);
        Assert.Equal(Verdict.Verified, report.Verdict);
        // 1 first batch + 1 per transformation level (3 levels), which also reads the origins'
        // registrations, the certificates that moved the parcels and their flags (was 9 at two a level)
        Assert.InRange(report.RoundTrips, 1, 5);
    }

    [Fact]
    public async Task A_signed_certificate_is_Verified_and_names_its_issuer_and_relayer()
    {
        var (r, s, v) = await SharedAsync();
        var report = await v.VerifyAsync(s.BwToAe);
        Assert.Equal(Verdict.Verified, report.Verdict);
        Has(report, "certificate.signed-by-authority", CheckStatus.Pass);
        Assert.Contains(report.Checks, c => c.Name == "certificate.issuer" && c.Reason.Contains("relayed by", StringComparison.Ordinal));
        Assert.Equal(["BW"], report.Origins.Select(o => o.Value));
    }

    [Fact]
    public async Task A_forged_certificate_number_is_NotFound()
    {
        var (r, s, v) = await SharedAsync();
        var forged = s.AeToIn with { Number = "AE2026999999" };
        var report = await v.VerifyAsync(forged);
        Assert.Equal(Verdict.NotFound, report.Verdict);
        Has(report, "certificate.registered", CheckStatus.Fail);
    }

    [Fact]
    public async Task A_certificate_with_one_field_changed_is_Tampered()
    {
        var (r, s, v) = await SharedAsync();
        var tampered = s.AeToIn with { Details = s.AeToIn.Details with { ValueUsdCents = s.AeToIn.Details.ValueUsdCents / 2 } };
        var report = await v.VerifyAsync(tampered);
        Assert.Equal(Verdict.Tampered, report.Verdict);
        Has(report, "certificate.content", CheckStatus.Fail);
    }

    [Fact]
    public async Task A_certificate_signed_by_a_non_authority_is_never_anchored_so_NotFound()
    {
        var (r, s, v) = await SharedAsync();
        var now = await r.Reader.BlockTimestampAsync();
        var parcels = await r.RegisterOriginAsync(BwMiner, "BW", 1);
        var cert = CertificateSigner.Sign(SampleRecords.Certificate("BW", "AE", Hashes(parcels), issuedAt: now), now + 3600, Account(BwTrader), r.Domain);
        var refused = await Assert.ThrowsAsync<Chain.Registry.ContractRevertException>(() => r.As(Relayer).RelayCertificateAsync(cert));
        Assert.Equal("NotAnAuthority", refused.ErrorName);
        var report = await v.VerifyAsync(cert);
        Assert.Equal(Verdict.NotFound, report.Verdict);
        Has(report, "certificate.registered", CheckStatus.Fail);
    }

    [Fact]
    public async Task The_anchored_certificate_under_a_non_authoritys_signature_is_Unauthorized()
    {
        var (r, s, v) = await SharedAsync();
        // the content matches what was anchored; the signature it carries is not an authority's
        var resigned = CertificateSigner.Sign(s.BwToAe with { Authorization = null }, s.BwToAe.Authorization!.Deadline, Account(BwTrader), r.Domain);
        var report = await v.VerifyAsync(resigned);
        Assert.Equal(Verdict.Unauthorized, report.Verdict);
        Has(report, "certificate.content", CheckStatus.Pass);
        Has(report, "certificate.signed-by-authority", CheckStatus.Fail);

        // a signature copied onto another authority's name does not pass either
        var borrowed = resigned with { Authorization = resigned.Authorization! with { Authority = Account(BwAuthority).Address } };
        Assert.Equal(Verdict.Unauthorized, (await v.VerifyAsync(borrowed)).Verdict);
    }

    [Theory]
    [InlineData("carats")]
    [InlineData("expiry")]
    [InlineData("salt")]
    [InlineData("value")]
    [InlineData("importer-name")]
    public async Task A_signed_certificate_with_one_field_changed_is_Tampered_whatever_its_signature(string field)
    {
        var (r, s, v) = await SharedAsync();
        var c = s.BwToAe;
        var altered = field switch
        {
            "carats" => c with { Details = c.Details with { Carats = c.Details.Carats + 1 } },
            "expiry" => c with { ExpiresAt = c.ExpiresAt + 86_400 },
            "salt" => c with { Details = c.Details with { Salt = Core.Primitives.Salt.New() } },
            "value" => c with { Details = c.Details with { ValueUsdCents = c.Details.ValueUsdCents * 2 } },
            _ => c with { Details = c.Details with { ImporterName = "Someone else" } },
        };
        Assert.Equal(Verdict.Tampered, (await v.VerifyAsync(altered)).Verdict);
        // re-signed by the real authority after the change: still not what was anchored
        var resigned = CertificateSigner.Sign(altered with { Authorization = null }, c.Authorization!.Deadline, Account(BwAuthority), r.Domain);
        Assert.Equal(Verdict.Tampered, (await v.VerifyAsync(resigned)).Verdict);
    }

    [Fact]
    public async Task A_changed_number_is_NotFound_even_when_signed()
    {
        var (r, s, v) = await SharedAsync();
        var renumbered = s.BwToAe with { Number = s.BwToAe.Number + "1" };
        var report = await v.VerifyAsync(renumbered);
        Assert.Equal(Verdict.NotFound, report.Verdict);
    }

    [Fact]
    public async Task A_document_signed_for_another_deployment_is_reported_as_such()
    {
        var (r, s, v) = await SharedAsync();
        var otherChain = new Core.Hashing.Eip712Domain(1, r.Domain.VerifyingContract);
        var otherRegistry = new Core.Hashing.Eip712Domain(r.Domain.ChainId, "0x000000000000000000000000000000000000dEaD");
        foreach (var domain in new[] { otherChain, otherRegistry })
        {
            var foreign = CertificateSigner.Sign(s.BwToAe with { Authorization = null }, s.BwToAe.Authorization!.Deadline, Account(BwAuthority), domain);
            var report = await v.VerifyAsync(foreign);
            Assert.Equal(Verdict.OtherDeployment, report.Verdict);
            Assert.Contains(report.Checks, c => c.Name == "document.deployment" && c.Status == CheckStatus.Fail
                && c.Reason.Contains(domain.VerifyingContract, StringComparison.Ordinal) && c.Reason.Contains($"chain {domain.ChainId}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Every_report_names_the_chain_registry_and_block_it_was_checked_against()
    {
        var (r, s, v) = await SharedAsync();
        var head = await r.Reader.Rpc.RequestAsync("eth_blockNumber");
        foreach (var doc in new Core.Records.KpRecord[] { s.AeToIn, s.BwToAeConfirmation, s.Mixed[0], s.Transformations[0], SampleRecords.OriginParcel() })
        {
            var report = await v.VerifyAsync(doc);
            Assert.Equal(r.Domain.ChainId, report.CheckedAgainst.ChainId);
            Assert.Equal(r.Reader.Address, report.CheckedAgainst.Registry);
            Assert.Equal((ulong)Chain.Rpc.ChainRpc.Quantity(head!), report.CheckedAgainst.BlockNumber);
            Assert.StartsWith("0x", report.CheckedAgainst.BlockHash, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Claimed_parents_that_are_not_the_real_ones_are_BrokenLineage()
    {
        var (r, s, v) = await SharedAsync();
        var split = s.Transformations[2];
        var otherParcel = s.Mined[0].Hash();
        var wrong = split with { Inputs = [otherParcel] };
        var report = await v.VerifyAsync(s.AeToIn, [.. s.Ancestors.Where(a => a != split), wrong]);
        Assert.Equal(Verdict.BrokenLineage, report.Verdict);
        Has(report, "lineage.claimed-parents", CheckStatus.Fail);
    }

    [Fact]
    public async Task Ancestor_documents_whose_carats_grow_are_BrokenLineage()
    {
        var (r, s, v) = await SharedAsync();
        // documents that claim the split made more than it consumed: the chain only has hashes,
        // so the inflated documents are not the anchored ones, and the carats check catches the claim
        var lot = s.Sorted[3];
        var inflatedLot = lot with { Carats = 100_000 };
        var ancestors = s.Ancestors.Where(a => a != lot).Append(inflatedLot).ToList();
        var report = await v.VerifyAsync(s.AeToIn, ancestors);
        Assert.Contains(report.Checks, c => c.Name == "lineage.carats-conserved" && c.Status != CheckStatus.Pass);
    }

    [Fact]
    public async Task Import_confirmations_parcels_and_transformations_verify_too()
    {
        var (r, s, v) = await SharedAsync();
        Assert.Equal(Verdict.Verified, (await v.VerifyAsync(s.BwToAeConfirmation)).Verdict);
        Assert.Equal(Verdict.Tampered, (await v.VerifyAsync(s.BwToAeConfirmation with { Carats = 1 })).Verdict);
        Assert.Equal(Verdict.NotFound, (await v.VerifyAsync(SampleRecords.Confirmation(s.AeToIn))).Verdict);

        var parcelReport = await v.VerifyAsync(s.Mixed[0]);
        Assert.Equal(Verdict.Verified, parcelReport.Verdict);
        Assert.Equal(["BW", "CF"], parcelReport.Origins.Select(o => o.Value));
        Assert.Equal(Verdict.NotFound, (await v.VerifyAsync(SampleRecords.OriginParcel())).Verdict);

        Assert.Equal(Verdict.Verified, (await v.VerifyAsync(s.Transformations[1])).Verdict);
        Assert.Equal(Verdict.NotFound, (await v.VerifyAsync(s.Transformations[1] with { Operation = "split" })).Verdict);
        Assert.Equal(ParticipantCode.Parse("AE"), (await r.Reader.ParcelAsync(s.Mixed[0].Hash())).Holder);
    }

    [Theory]
    [InlineData("1d")]
    [InlineData("ff")]
    [InlineData("02")]
    [InlineData("1a")]
    public async Task A_malformed_signature_is_a_failed_check_not_a_crash(string v)
    {
        var (_, s, verifier) = await SharedAsync();
        var sig = s.BwToAe.Authorization!.Signature;
        var broken = s.BwToAe with { Authorization = s.BwToAe.Authorization with { Signature = sig[..^2] + v } };
        var report = await verifier.VerifyAsync(broken);
        Assert.Equal(Verdict.Unauthorized, report.Verdict);
        // r at the curve order: no valid signature
        var order = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
        var outOfRange = s.BwToAe with { Authorization = s.BwToAe.Authorization with { Signature = "0x" + order + sig[66..] } };
        Assert.Equal(Verdict.Unauthorized, (await verifier.VerifyAsync(outOfRange)).Verdict);

        // the same signature in its high-s twin (s' = n - s, v flipped): it recovers the same signer,
        // but the registry (contracts/libraries/AuthoritySignature.sol) refuses it, so the verifier does too
        var n = BigInteger.Parse("0fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", NumberStyles.HexNumber);
        var sValue = BigInteger.Parse("0" + sig[66..130], NumberStyles.HexNumber);
        var highS = (n - sValue).ToString("x64", CultureInfo.InvariantCulture)[^64..];
        var flippedV = sig[^2..] == "1b" ? "1c" : "1b";
        var twin = s.BwToAe with { Authorization = s.BwToAe.Authorization with { Signature = sig[..66] + highS + flippedV } };
        Assert.Equal(Verdict.Unauthorized, (await verifier.VerifyAsync(twin)).Verdict);
    }

    [Fact]
    public async Task The_signature_forms_the_registry_accepts_verify_and_the_ones_it_refuses_do_not()
    {
        var (_, s, verifier) = await SharedAsync();
        var sig = s.BwToAe.Authorization!.Signature;
        CertificateRecord With(string signature) => s.BwToAe with { Authorization = s.BwToAe.Authorization with { Signature = signature } };
        foreach (var form in SignatureVariants.Accepted)
        {
            Assert.Equal(Verdict.Verified, (await verifier.VerifyAsync(With(SignatureVariants.Of(sig, form)))).Verdict);
        }
        foreach (var form in SignatureVariants.Refused)
        {
            Assert.Equal(Verdict.Unauthorized, (await verifier.VerifyAsync(With(SignatureVariants.Of(sig, form)))).Verdict);
        }
    }

    [Fact]
    public async Task Another_deployment_is_believed_only_when_the_signature_proves_it()
    {
        var (_, s, v) = await SharedAsync();
        // relabelled, not re-signed: the claim is not believed, and the chain checks decide
        var relabelled = s.BwToAe with { Authorization = s.BwToAe.Authorization! with { ChainId = 1 } };
        Assert.Equal(Verdict.Unauthorized, (await v.VerifyAsync(relabelled)).Verdict);
        var tampered = relabelled with { Details = relabelled.Details with { Carats = relabelled.Details.Carats + 10_000 } };
        Assert.Equal(Verdict.Tampered, (await v.VerifyAsync(tampered)).Verdict);
        var forged = relabelled with { Number = "BW2099-000001" };
        Assert.Equal(Verdict.NotFound, (await v.VerifyAsync(forged)).Verdict);
    }
}
