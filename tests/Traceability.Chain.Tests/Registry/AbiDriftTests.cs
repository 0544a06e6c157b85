using System.Reflection;
using System.Text.Json;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Traceability.Chain.Registry;
using Traceability.Testing;

namespace Traceability.Chain.Tests.Registry;

/// <summary>The .NET bindings against the compiled contract: a drift of the Solidity source fails here.</summary>
[Trait("Category", "Fast")]
public class AbiDriftTests
{
    private static readonly Type[] Bindings = typeof(RegistryAbi).Assembly.GetTypes();

    [Fact]
    public void The_embedded_contract_equals_a_fresh_compile()
    {
        var artifactPath = RepoPaths.Under("artifacts", "contracts", "KimberleyRegistry.sol", "KimberleyRegistry.json");
        Assert.True(File.Exists(artifactPath), "compile the contracts first (npx hardhat compile); the test command does");
        using var artifact = JsonDocument.Parse(File.ReadAllText(artifactPath));
        using var embedded = JsonDocument.Parse(File.ReadAllText(RepoPaths.Under("src", "Traceability.Chain", "Registry", "KimberleyRegistry.json")));
        Assert.Equal(JsonSerializer.Serialize(artifact.RootElement.GetProperty("abi")), JsonSerializer.Serialize(embedded.RootElement.GetProperty("abi")));
        Assert.True(artifact.RootElement.GetProperty("bytecode").GetString() == RegistryAbi.Bytecode,
            "src/Traceability.Chain/Registry/KimberleyRegistry.json is stale: run node scripts/export-contract.js");
    }

    [Fact]
    public void Every_contract_function_has_a_typed_message_with_its_exact_signature()
    {
        var bound = Bindings.Where(t => t.GetCustomAttribute<FunctionAttribute>() is not null && typeof(FunctionMessage).IsAssignableFrom(t))
            .Select(t => (Type: t, Abi: ABITypedRegistry.GetFunctionABI(t)))
            .ToDictionary(x => x.Abi.Name, x => x.Abi.Sha3Signature);
        var abi = RegistryAbi.Contract.Functions.ToDictionary(f => f.Name, f => f.Sha3Signature);
        Assert.Equal(abi.Keys.Order(), bound.Keys.Order());
        foreach (var (name, selector) in abi) Assert.True(selector == bound[name], $"{name}: the binding's parameters differ from the contract's");
    }

    [Fact]
    public void Every_registry_event_has_a_typed_event_with_its_exact_signature()
    {
        var bound = Bindings.Where(t => t.GetCustomAttribute<EventAttribute>() is not null)
            .ToDictionary(t => t.GetCustomAttribute<EventAttribute>()!.Name, t => ABITypedRegistry.GetEvent(t).Sha3Signature);
        var ozEvents = new[]
        {
            "RoleGranted", "RoleRevoked", "RoleAdminChanged", "EIP712DomainChanged", "DefaultAdminDelayChangeCanceled",
            "DefaultAdminDelayChangeScheduled", "DefaultAdminTransferCanceled", "DefaultAdminTransferScheduled",
        };
        var abi = RegistryAbi.Contract.Events.Where(e => !ozEvents.Contains(e.Name)).ToDictionary(e => e.Name, e => e.Sha3Signature);
        Assert.Equal(abi.Keys.Order(), bound.Keys.Order());
        foreach (var (name, topic) in abi) Assert.True(topic == bound[name], $"{name}: the binding's parameters differ from the contract's");
    }

    [Fact]
    public void Every_contract_error_has_a_sentence_for_people()
    {
        var missing = RegistryAbi.Contract.Errors.Select(e => e.Name).Except(RegistryErrors.DescribedErrors).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Decodes_an_error_with_arguments_into_a_sentence()
    {
        // ParcelNotActive(bytes32 parcel, uint8 status) with status Consumed (2)
        var error = RegistryAbi.Contract.Errors.Single(e => e.Name == "ParcelNotActive");
        var parcel = new string('a', 64);
        var data = "0x" + error.Sha3Signature + parcel + new string('0', 63) + "2";
        var decoded = RegistryErrors.TryDecode(data)!;
        Assert.Equal("ParcelNotActive", decoded.Name);
        Assert.Equal("0x" + parcel, decoded.Arguments["parcel"]);
        Assert.Contains("consumed", decoded.Message);
        Assert.Null(RegistryErrors.TryDecode("0xdeadbeef"));
        Assert.Null(RegistryErrors.TryDecode(null));
    }
}
