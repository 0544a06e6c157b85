using Nethereum.Contracts;
using Newtonsoft.Json.Linq;
using Traceability.Chain.Deployment;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Chain.Signing;
using Traceability.Chain.Transactions;
using Traceability.Core.Merkle;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Lab.DevChain;
using Traceability.Testing;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Chain.Tests.Registry;

/// <summary>The .NET client against the real contract on a Hardhat node.</summary>
[Trait("Category", "Chain")]
[Collection("hardhat")]
public class RegistryIntegrationTests(HardhatFixture fixture)
{
    private Task<TestRegistry> Fresh(TransactionOptions? options = null) => TestRegistry.DeployAsync(fixture.Node, options);

    [Fact]
    public async Task Deploys_from_dotnet_and_the_record_checks_out()
    {
        using var r = await Fresh();
        Assert.Empty(await RegistryDeployer.CheckAsync(r.Rpc, r.Deployment));
        Assert.Equal(31337, r.Deployment.ChainId);
        Assert.Equal(Account(Governor).Address, r.Deployment.Governor);
        Assert.Equal(r.Domain, await r.Reader.DomainAsync());
        Assert.Equal(["BW", "AE", "IN", "CF", "EU"], (await r.Reader.ParticipantsAsync()).Select(c => c.Value));
        Assert.True(await r.Reader.IsAuthorityAsync(ParticipantCode.Parse("BW"), Account(BwAuthority).Address));
        Assert.True(await r.Reader.IsMemberAsync(ParticipantCode.Parse("AE"), Account(AeTrader).Address));
        Assert.Equal(ParticipantCode.Parse("IN"), await r.Reader.AuthorityOfAsync(Account(InAuthority).Address));
    }

    [Fact]
    public async Task The_contract_hashes_a_certificate_as_Core_does()
    {
        using var r = await Fresh();
        var parcels = Hashes(await r.RegisterOriginAsync(BwMiner, "BW", 3));
        var cert = SampleRecords.Certificate("BW", "AE", parcels, origins: ["BW", "CF"]);
        Assert.Equal(cert.Hash(), await r.Reader.HashCertificateAsync(cert));
    }

    [Fact]
    public async Task Registers_parcels_in_a_batch_and_reads_them_back_in_one_call()
    {
        using var r = await Fresh();
        var parcels = Hashes(await r.RegisterOriginAsync(BwMiner, "BW", 50));
        var before = r.Rpc.RoundTrips;
        var states = await r.Reader.ParcelsAsync([.. parcels, Salt.New()]);
        Assert.Equal(1, r.Rpc.RoundTrips - before);
        var (_, _, index) = await r.Reader.MemberOfAsync(Account(BwMiner).Address);
        Assert.All(states.Take(50), s => Assert.True(s.IsOrigin && s.Status == ParcelStatus.Active && s.Holder == ParticipantCode.Parse("BW") && s.Registrant == index));
        Assert.False(states[50].Exists);
        Assert.Equal(Account(BwMiner).Address, await r.Reader.MemberAtAsync(index));
    }

    [Fact]
    public async Task A_refusal_arrives_as_the_decoded_custom_error()
    {
        using var r = await Fresh();
        var registered = await r.RegisterOriginAsync(BwMiner, "BW", 1);
        var e = await Assert.ThrowsAsync<ContractRevertException>(() => r.As(BwTrader).RegisterParcelsAsync(registered));
        Assert.Equal("AlreadyRegistered", e.ErrorName);
        Assert.Equal(registered[0].Hash().ToString(), e.Error!.Arguments["hash"]);
        Assert.Contains("already registered", e.Message);

        var outsider = await Assert.ThrowsAsync<ContractRevertException>(() => r.As(Outsider).RegisterParcelDetailsAsync([Salt.New()]));
        Assert.Equal("NotAMember", outsider.ErrorName);
        Assert.Contains(Account(Outsider).Address, outsider.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Records_a_transformation_and_answers_its_lineage()
    {
        using var r = await Fresh();
        var inputs = Hashes(await r.RegisterOriginAsync(BwMiner, "BW", 2));
        var outputs = new[] { SampleRecords.DerivedParcel("BW", 50_000, "BW"), SampleRecords.DerivedParcel("BW", 50_000, "BW") };
        var t = SampleRecords.Transformation("BW", inputs, outputs, "split");
        var tx = await r.As(BwTrader).TransformAsync(t);
        Assert.True(await r.Reader.IsProducedByAsync(outputs[0].Hash(), inputs.Reverse()));
        Assert.False(await r.Reader.IsProducedByAsync(outputs[0].Hash(), inputs.Take(1)));
        Assert.Equal(ParcelStatus.Consumed, (await r.Reader.ParcelAsync(inputs[0])).Status);
        var state = await r.Reader.TransformationAsync(t.Hash());
        Assert.True(state.Exists);
        Assert.Equal((2, 2), (state.InputCount, state.OutputCount));
        var derived = RegistryReader.DecodeLogs<ParcelDerivedEvent>(new JArray(tx.Logs));
        Assert.Equal(Hashes(outputs), derived.Select(d => Hash32.FromBytes(d.Event.Parcel)));
        Assert.All(derived, d => Assert.Equal(t.Hash(), Hash32.FromBytes(d.Event.Transformation)));
        // each output's event carries all the inputs (its parents), sorted as the transformation took them
        Assert.All(derived, d => Assert.Equal(t.Inputs, d.Event.Inputs.Select(b => Hash32.FromBytes(b))));
        var transformed = Assert.Single(RegistryReader.DecodeLogs<ParcelsTransformedEvent>(new JArray(tx.Logs)));
        Assert.Equal(outputs.Select(o => o.DetailsHash()), transformed.Event.OutputDetails.Select(d => Hash32.FromBytes(d)));
    }

    [Fact]
    public async Task Relays_a_certificate_signed_in_dotnet_and_refuses_one_signed_by_a_non_authority()
    {
        using var r = await Fresh();
        var parcels = Hashes(await r.RegisterOriginAsync(BwMiner, "BW", 4));
        var now = await r.Reader.BlockTimestampAsync();
        var cert = SampleRecords.Certificate("BW", "AE", parcels, issuedAt: now);
        var signed = CertificateSigner.Sign(cert, now + 3600, Account(BwAuthority), r.Domain);
        Assert.Equal(Account(BwAuthority).Address, CertificateSigner.RecoverSigner(signed, r.Domain));

        var tx = await r.As(Relayer).RelayCertificateAsync(signed);
        var issued = Assert.Single(RegistryReader.DecodeLogs<CertificateIssuedEvent>(new JArray(tx.Logs))).Event;
        Assert.Equal(cert.Hash().ToArray(), issued.CertificateHash);
        Assert.Equal(Account(BwAuthority).Address, issued.Authority, ignoreCase: true);
        Assert.Equal(Account(Relayer).Address, issued.Relayer, ignoreCase: true);
        var state = await r.Reader.CertificateAsync(cert.Exporter, cert.Number);
        Assert.Equal(CertificateStatus.Issued, state.Status);
        Assert.True(state.Matches(cert.Hash()));
        Assert.All(await r.Reader.ParcelsAsync(parcels), p => Assert.Equal(ParcelStatus.Locked, p.Status));

        var more = Hashes(await r.RegisterOriginAsync(BwMiner, "BW", 1));
        var forged = CertificateSigner.Sign(SampleRecords.Certificate("BW", "AE", more, issuedAt: now), now + 3600, Account(BwTrader), r.Domain);
        var e = await Assert.ThrowsAsync<ContractRevertException>(() => r.As(Relayer).RelayCertificateAsync(forged));
        Assert.Equal("NotAnAuthority", e.ErrorName);
        Assert.Equal("BW", e.Error!.Arguments["participant"]);
    }

    [Fact]
    public async Task Confirms_an_import_voids_a_certificate_and_flags_a_record()
    {
        using var r = await Fresh();
        var now = await r.Reader.BlockTimestampAsync();
        var a = SampleRecords.Certificate("BW", "AE", Hashes(await r.RegisterOriginAsync(BwMiner, "BW", 2)), issuedAt: now);
        var b = SampleRecords.Certificate("BW", "AE", Hashes(await r.RegisterOriginAsync(BwMiner, "BW", 2)), issuedAt: now);
        await r.As(BwAuthority).IssueCertificateAsync(a);
        await r.As(BwAuthority).IssueCertificateAsync(b);

        var confirmation = SampleRecords.Confirmation(a, now + 60);
        await r.As(AeAuthority).ConfirmImportAsync(a, confirmation);
        Assert.Equal(CertificateStatus.Confirmed, (await r.Reader.CertificateAsync(a.Exporter, a.NumberHash)).Status);
        Assert.Equal(confirmation.Hash(), await r.Reader.ConfirmationOfAsync(a.Exporter, a.NumberHash));
        Assert.All(await r.Reader.ParcelsAsync(a.Parcels), p => Assert.Equal(ParticipantCode.Parse("AE"), p.Holder));

        await r.As(BwAuthority).VoidCertificateAsync(b);
        Assert.Equal(CertificateStatus.Voided, (await r.Reader.CertificateAsync(b.Exporter, b.NumberHash)).Status);
        var e = await Assert.ThrowsAsync<ContractRevertException>(() => r.As(AeAuthority).ConfirmImportAsync(b, SampleRecords.Confirmation(b)));
        Assert.Equal("CertificateNotIssued", e.ErrorName);

        await r.As(Governor).SetFlagAsync(FlaggableKind.Certificate, RegistryKeys.Certificate(a.Exporter, a.NumberHash), RecordFlag.Fraudulent,
            FlagCategory.ForgedDocument, "forged origin");
        Assert.Equal(RecordFlag.Fraudulent, (await r.Reader.CertificateAsync(a.Exporter, a.NumberHash)).Flag);
        var flagged = Assert.Single(await r.Reader.LogsAsync<RecordFlaggedEvent>());
        Assert.Equal(Keccak.Hash("forged origin").ToArray(), flagged.Event.EvidenceHash);
        Assert.Equal((byte)FlagCategory.ForgedDocument, flagged.Event.Category);
    }

    [Fact]
    public async Task Anchors_a_Core_Merkle_root_and_the_contract_accepts_its_proofs()
    {
        using var r = await Fresh();
        var leaves = Enumerable.Range(0, 11).Select(_ => Salt.New()).ToList();
        var tree = StandardMerkleTree.Of(leaves);
        await r.As(BwMiner).AnchorBatchAsync(tree.Root, (uint)leaves.Count);
        var bw = ParticipantCode.Parse("BW");
        for (var i = 0; i < leaves.Count; i++) Assert.True(await r.Reader.IsAnchoredAsync(bw, tree.Root, leaves[i], tree.GetProof(i)));
        Assert.False(await r.Reader.IsAnchoredAsync(bw, tree.Root, Salt.New(), tree.GetProof(0)));
        Assert.False(await r.Reader.IsAnchoredAsync(ParticipantCode.Parse("AE"), tree.Root, leaves[0], tree.GetProof(0)));
        Assert.Equal(11u, (await r.Reader.AnchorAsync(bw, tree.Root)).LeafCount);
        Assert.Equal([bw], await r.Reader.AnchoringParticipantsAsync(tree.Root));
    }

    [Fact]
    public async Task Relays_several_signed_certificates_in_one_multicall()
    {
        using var r = await Fresh();
        var now = await r.Reader.BlockTimestampAsync();
        var certs = new List<Core.Records.CertificateRecord>();
        for (var i = 0; i < 3; i++)
        {
            var cert = SampleRecords.Certificate("BW", "AE", Hashes(await r.RegisterOriginAsync(BwMiner, "BW", 2)), issuedAt: now);
            certs.Add(CertificateSigner.Sign(cert, now + 3600, Account(BwAuthority), r.Domain));
        }
        await r.As(Relayer).MulticallAsync(certs.Select(c => RegistryWriter.RelayMessage(c, c.Authorization!).GetCallData()));
        foreach (var c in certs) Assert.Equal(CertificateStatus.Issued, (await r.Reader.CertificateAsync(c.Exporter, c.NumberHash)).Status);
    }

    [Fact]
    public async Task Builds_the_batch_call_of_records_and_looks_up_its_transaction_unknown_pending_then_mined()
    {
        using var r = await Fresh();
        var miner = r.As(BwMiner);
        var parcels = new[] { SampleRecords.OriginParcel("BW"), SampleRecords.OriginParcel("BW") };
        var data = RegistryWriter.BatchCallData(parcels);
        Assert.Equal(RegistryReader.CallData(new RegisterParcelsFunction { Details = AbiValues.Bytes32(parcels.Select(p => p.DetailsHash())) }), data);
        Assert.Equal(TransactionState.Unknown, (await miner.Sender.LookupAsync(Salt.New().ToString())).State);
        await r.Rpc.RequestAsync("evm_setAutomine", false);
        string hash;
        try
        {
            hash = await miner.Sender.SubmitAsync(r.Deployment.Address, data, 500_000);
            Assert.Equal(TransactionState.Pending, (await miner.Sender.LookupAsync(hash)).State);
        }
        finally
        {
            await r.Rpc.RequestAsync("evm_setAutomine", true);
        }
        await r.Rpc.RequestAsync("evm_mine");
        var mined = await miner.Sender.LookupAsync(hash);
        Assert.Equal((TransactionState.Mined, true), (mined.State, mined.Succeeded));
        Assert.True(mined.BlockNumber > 0 && mined.GasUsed > 0);
        Assert.All(await r.Reader.ParcelsAsync([.. parcels.Select(p => p.Hash())]), s => Assert.True(s.Exists));

        // transformations go into one multicall (all or nothing)
        var sorts = parcels.Select(p => SampleRecords.Transformation("BW", [p.Hash()], [SampleRecords.DerivedParcel("BW", 50_000, "BW")])).ToList();
        await r.As(BwTrader).Sender.SendAsync(r.Deployment.Address, RegistryWriter.BatchCallData(sorts));
        foreach (var t in sorts) Assert.True((await r.Reader.TransformationAsync(t.Hash())).Exists);
        var cert = SampleRecords.Certificate("BW", "AE", [sorts[0].Outputs[0]]);
        Assert.Throws<ArgumentNullException>(() => RegistryWriter.BatchCallData([SampleRecords.Confirmation(cert)]));
    }

    [Theory]
    [InlineData(FeeMode.Legacy, "0x0")]
    [InlineData(FeeMode.Eip1559, "0x2")]
    [InlineData(FeeMode.Auto, "0x2")]
    public async Task Sends_with_legacy_and_EIP1559_fees(FeeMode fees, string type)
    {
        using var r = await Fresh(new TransactionOptions { Fees = fees });
        var tx = await r.As(BwMiner, new TransactionOptions { Fees = fees }).RegisterParcelDetailsAsync([Salt.New()]);
        var sent = (JObject)(await r.Rpc.RequestAsync("eth_getTransactionByHash", tx.Hash))!;
        Assert.Equal(type, (string?)sent["type"]);
    }

    [Fact]
    public async Task Batches_reads_into_one_round_trip_and_reports_each_failure_alone()
    {
        using var r = await Fresh();
        var before = r.Rpc.RoundTrips;
        var results = await r.Rpc.BatchAsync([new RpcCall("eth_chainId"), new RpcCall("eth_blockNumber"), new RpcCall("eth_noSuchMethod")]);
        Assert.Equal(1, r.Rpc.RoundTrips - before);
        Assert.Equal("0x7a69", (string?)results[0].Result);
        Assert.Null(results[1].Error);
        Assert.IsType<ChainRpcException>(results[2].Error);
    }

    [Fact]
    public async Task An_unreachable_node_is_reported_as_such()
    {
        using var rpc = new ChainRpc($"http://127.0.0.1:{LocalNode.FreePort()}", TimeSpan.FromSeconds(2));
        var e = await Assert.ThrowsAsync<ChainUnavailableException>(() => rpc.ChainIdAsync());
        Assert.Contains("cannot reach the chain", e.Message);
    }
}

/// <summary>Receipts are reported only once buried under the configured number of blocks.</summary>
[Collection("hardhat")]
public class ConfirmationTests(HardhatFixture fixture)
{
    [Fact]
    public async Task Waits_for_the_configured_confirmations_before_reporting_a_transaction()
    {
        using var r = await TestRegistry.DeployAsync(fixture.Node);
        var writer = r.As(BwMiner, new TransactionOptions { Confirmations = 3, PollInterval = TimeSpan.FromMilliseconds(20) });
        var send = writer.RegisterParcelDetailsAsync([Salt.New()]);
        await Task.Delay(300);
        Assert.False(send.IsCompleted); // mined (automine) but not yet under 2 more blocks
        await r.Rpc.RequestAsync("evm_mine");
        await Task.Delay(200);
        Assert.False(send.IsCompleted);
        await r.Rpc.RequestAsync("evm_mine");
        var tx = await send.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(await r.Rpc.BlockNumberAsync() >= tx.BlockNumber + 2);
    }
}
