using System.Text.Json;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Newtonsoft.Json.Linq;
using Traceability.Chain.Registry;
using Traceability.Chain.Rpc;
using Traceability.Core.Primitives;
using Traceability.Testing;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Chain.Tests.Registry;

/// <summary>
/// The hand-written decoders of the events and outputs a verification reads give exactly what Nethereum's
/// reflection-based decoders give, on the real logs and outputs of a trade played on Hardhat (relayed and direct
/// certificates, transformations, flags of every kind).
/// </summary>
[Trait("Category", "Chain")]
[Collection("hardhat")]
public class RegistryDecodersTests(HardhatFixture fixture)
{
    [Fact]
    public async Task The_fast_event_and_output_decoders_equal_Nethereums_on_a_played_trade()
    {
        using var r = await TestRegistry.DeployAsync(fixture.Node);
        var s = await TradeStory.PlayAsync(r);
        await r.As(Governor).SetFlagAsync(FlaggableKind.Parcel, s.Mined[4].Hash(), RecordFlag.Suspicious, FlagCategory.SuspiciousOrigin, "reported");
        await r.As(Governor).SetFlagAsync(FlaggableKind.Certificate, RegistryKeys.Certificate(s.BwToAe.Exporter, s.BwToAe.NumberHash),
            RecordFlag.Fraudulent, FlagCategory.ForgedDocument, "forged");

        var raw = await r.Rpc.RequestAsync("eth_getLogs", new JObject { ["address"] = r.Reader.Address, ["fromBlock"] = ChainRpc.Hex(r.Deployment.BlockNumber) });
        using var json = JsonDocument.Parse(raw.ToString());
        var logs = json.RootElement;

        Assert.Equal(5, Same<ParcelRegisteredEvent>(raw, logs)); // the mined (origin) parcels; derived ones are in ParcelDerived
        Assert.Equal(6, Same<ParcelDerivedEvent>(raw, logs));
        Assert.Equal(3, Same<ParcelsTransformedEvent>(raw, logs));
        Assert.Equal(3, Same<CertificateIssuedEvent>(raw, logs));
        Assert.Equal(2, Same<RecordFlaggedEvent>(raw, logs));
        Assert.Equal(2, Same<ImportConfirmedEvent>(raw, logs)); // no fast decoder: Nethereum's, through the same reader
        Assert.False(RegistryDecoders.IsFast<ImportConfirmedEvent>());

        // the relayed certificate names its authority and its relayer apart, as Nethereum does
        var issued = RegistryDecoders.Logs<CertificateIssuedEvent>(logs);
        Assert.Contains(issued, l => !string.Equals(l.Event.Authority, l.Event.Relayer, StringComparison.OrdinalIgnoreCase));

        foreach (var c in new[] { s.BwToAe, s.CfToAe, s.AeToIn })
        {
            var output = await r.Rpc.CallAsync(r.Reader.Address, RegistryReader.CallData(RegistryReader.CertificateCall(c.Exporter, c.NumberHash)));
            SameOutput<CertificateOutput>(output);
        }
        foreach (var t in s.Transformations.Select(t => t.Hash()).Append(Hash32.FromBytes(new byte[32])))
        {
            SameOutput<TransformationOutput>(await r.Rpc.CallAsync(r.Reader.Address, RegistryReader.CallData(new TransformationFunction { Hash = t.ToArray() })));
        }
        foreach (var account in new[] { Account(BwAuthority).Address, Account(BwMiner).Address })
        {
            SameOutput<BoolOutput>(await r.Rpc.CallAsync(r.Reader.Address,
                RegistryReader.CallData(new IsAuthorityFunction { Participant = s.BwToAe.Exporter.ToBytes(), Account = account })));
        }
    }

    [Fact]
    public void A_malformed_log_or_output_is_a_FormatException()
    {
        var topic0 = RegistryDecoders.EventTopic<CertificateIssuedEvent>();
        var word = "0x" + new string('0', 64);
        using var shortData = JsonDocument.Parse($$"""
            [{"topics":["{{topic0}}","{{word}}","{{word}}","{{word}}"],"data":"0x00","blockNumber":"0x1","transactionHash":"{{word}}","logIndex":"0x0"}]
            """);
        Assert.Throws<FormatException>(() => RegistryDecoders.Logs<CertificateIssuedEvent>(shortData.RootElement));
        using var fewTopics = JsonDocument.Parse($$"""
            [{"topics":["{{topic0}}","{{word}}"],"data":"0x","blockNumber":"0x1","transactionHash":"{{word}}","logIndex":"0x0"}]
            """);
        Assert.Throws<FormatException>(() => RegistryDecoders.Logs<CertificateIssuedEvent>(fewTopics.RootElement));
        Assert.Throws<FormatException>(() => RegistryDecoders.Output<BoolOutput>("0x" + new string('0', 63) + "2"));
        Assert.Throws<FormatException>(() => RegistryDecoders.Output<CertificateOutput>("0x" + new string('0', 64)));
    }

    private static int Same<TEvent>(JToken raw, JsonElement logs) where TEvent : IEventDTO, new()
    {
        var nethereum = RegistryReader.DecodeLogs<TEvent>(raw);
        var fast = RegistryDecoders.Logs<TEvent>(logs);
        Assert.NotEmpty(nethereum);
        Assert.Equal(Text(nethereum), Text(fast));
        return fast.Count;
    }

    private static void SameOutput<TOut>(string output) where TOut : IFunctionOutputDTO, new()
    {
        Assert.True(RegistryDecoders.IsFastOutput<TOut>());
        Assert.Equal(Text(RegistryReader.Decode<TOut>(output)), Text(RegistryDecoders.Output<TOut>(output)));
    }

    /// <summary>Every property (byte arrays in base64): equal text is equal values.</summary>
    private static string Text<T>(T value) => JsonSerializer.Serialize(value);
}
