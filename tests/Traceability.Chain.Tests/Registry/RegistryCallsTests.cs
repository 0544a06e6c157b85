using Traceability.Chain.Registry;

namespace Traceability.Chain.Tests.Registry;

/// <summary>The hand-written call data of the views a verification reads is byte for byte Nethereum's.</summary>
[Trait("Category", "Fast")]
public class RegistryCallsTests
{
    private static byte[] Bytes(int length, int seed) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 7 + seed))];

    [Fact]
    public void The_hand_written_call_data_equals_Nethereums()
    {
        foreach (var count in new[] { 0, 1, 3, 40 })
        {
            var parcels = new ParcelsOfFunction { Hashes = [.. Enumerable.Range(0, count).Select(i => Bytes(32, i))] };
            Assert.Equal(RegistryReader.NethereumCallData(parcels), RegistryCalls.CallData(parcels));
        }
        var certificate = new CertificateFunction { Exporter = "AE"u8.ToArray(), NumberHash = Bytes(32, 5) };
        Assert.Equal(RegistryReader.NethereumCallData(certificate), RegistryCalls.CallData(certificate));
        var transformation = new TransformationFunction { Hash = Bytes(32, 9) };
        Assert.Equal(RegistryReader.NethereumCallData(transformation), RegistryCalls.CallData(transformation));
        foreach (var account in new[] { "0x976EA74026E726554dB657fA54763abd0C3a0aa9", "0x976ea74026e726554db657fa54763abd0c3a0aa9" })
        {
            var authority = new IsAuthorityFunction { Participant = "BW"u8.ToArray(), Account = account };
            Assert.Equal(RegistryReader.NethereumCallData(authority), RegistryCalls.CallData(authority));
        }
        // anything else is Nethereum's own encoding
        var status = new ParticipantStatusFunction { Code = "BW"u8.ToArray() };
        Assert.Equal(RegistryReader.NethereumCallData(status), RegistryCalls.CallData(status));
    }
}
