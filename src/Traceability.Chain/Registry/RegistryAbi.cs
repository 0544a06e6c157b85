using System.Reflection;
using System.Text.Json;
using Nethereum.ABI.ABIDeserialisation;
using Nethereum.ABI.Model;

namespace Traceability.Chain.Registry;

/// <summary>
/// The compiled registry: ABI and creation bytecode, embedded from Registry/KimberleyRegistry.json
/// (exported from the Hardhat artifact by scripts/export-contract.js; the tests fail if it drifts
/// from the Solidity source). The one place that knows the ABI.
/// </summary>
public static class RegistryAbi
{
    private static readonly Lazy<(string Abi, string Bytecode, string Solc, ContractABI Contract)> Loaded = new(Load);

    /// <summary>The ABI as JSON.</summary>
    public static string AbiJson => Loaded.Value.Abi;

    /// <summary>The creation bytecode, 0x hex.</summary>
    public static string Bytecode => Loaded.Value.Bytecode;

    /// <summary>The compiler version that produced it.</summary>
    public static string SolcVersion => Loaded.Value.Solc;

    /// <summary>The ABI, parsed.</summary>
    public static ContractABI Contract => Loaded.Value.Contract;

    private static (string, string, string, ContractABI) Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("KimberleyRegistry.json")
            ?? throw new InvalidOperationException("the embedded KimberleyRegistry.json is missing");
        using var doc = JsonDocument.Parse(stream);
        var abi = doc.RootElement.GetProperty("abi").GetRawText();
        var bytecode = doc.RootElement.GetProperty("bytecode").GetString()!;
        var solc = doc.RootElement.GetProperty("solc").GetString()!;
        return (abi, bytecode, solc, ABIDeserialiserFactory.DeserialiseContractABI(abi));
    }
}
