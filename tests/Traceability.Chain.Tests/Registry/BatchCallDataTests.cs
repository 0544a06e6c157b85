using Traceability.Chain.Registry;
using Traceability.Core.Primitives;
using Traceability.Testing;

namespace Traceability.Chain.Tests.Registry;

/// <summary>The hand-written registerParcels encoding against Nethereum's generic ABI encoder.</summary>
[Trait("Category", "Fast")]
public class BatchCallDataTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(500)]
    public void RegisterParcels_is_encoded_as_the_generic_encoder_does(int count)
    {
        var parcels = Enumerable.Range(0, count).Select(_ => SampleRecords.OriginParcel("BW")).ToList();
        var generic = RegistryReader.CallData(new RegisterParcelsFunction { Details = AbiValues.Bytes32(parcels.Select(p => p.DetailsHash())) });
        Assert.Equal(generic, RegistryWriter.BatchCallData(parcels));
        Assert.Equal(generic, RegistryWriter.RegisterParcelsCallData([.. parcels.Select(p => p.DetailsHash())]));
        Assert.Equal(RegistryAbi.Contract.Functions.Single(f => f.Name == "registerParcels").Sha3Signature, generic[2..10]);
    }

    [Fact]
    public void An_empty_list_is_an_empty_array()
    {
        Assert.Equal(RegistryReader.CallData(new RegisterParcelsFunction { Details = [] }), RegistryWriter.RegisterParcelsCallData(Array.Empty<Hash32>()));
    }
}
