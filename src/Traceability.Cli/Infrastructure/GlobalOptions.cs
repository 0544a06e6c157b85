using System.CommandLine;
using Traceability.Chain.Transactions;

namespace Traceability.Cli.Infrastructure;

/// <summary>Options every command accepts.</summary>
public static class GlobalOptions
{
    /// <summary>JSON-RPC endpoint (overrides the deployment record's).</summary>
    public static readonly Option<string?> Rpc = Recursive(StrictOptions.Url("--rpc", "JSON-RPC endpoint of the chain (default: the deployment record's, or $KP_RPC_URL)"));

    /// <summary>Registry address (overrides the deployment record's).</summary>
    public static readonly Option<string?> Registry = Recursive(StrictOptions.Address("--registry", "address of the registry contract (default: the deployment record's)"));

    /// <summary>Deployment record file.</summary>
    public static readonly Option<FileInfo?> Deployment = new("--deployment")
    {
        Description = "deployment record (default: $KP_DEPLOYMENT, else chain-dev/run/deployment.json found upwards from here)",
        Recursive = true,
    };

    /// <summary>Machine output.</summary>
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "print JSON for machines instead of tables for people",
        Recursive = true,
    };

    /// <summary>Account index of KP_MNEMONIC.</summary>
    public static readonly Option<int> Account = Recursive(StrictOptions.Integer("--account",
        "account index m/44'/60'/0'/0/N of the mnemonic in $KP_MNEMONIC (on a dev chain, of the public test phrase)", 0, int.MaxValue, 0));

    /// <summary>Encrypted keystore file.</summary>
    public static readonly Option<FileInfo?> Keystore = new("--keystore")
    {
        Description = "encrypted JSON keystore of the sending account; its password comes from $KP_KEYSTORE_PASSWORD",
        Recursive = true,
    };

    /// <summary>Fee mode.</summary>
    public static readonly Option<FeeMode> Fees = Recursive(StrictOptions.Choice("--fees",
        "transaction fees: Auto (from the chain), Legacy, Eip1559, or Zero (free-gas networks)", FeeMode.Auto));

    /// <summary>Receipt confirmations.</summary>
    public static readonly Option<int> Confirmations = Recursive(StrictOptions.Integer("--confirmations",
        "blocks a transaction must be buried under before kp reports it done (1-1000)", 1, 1000, 1));

    /// <summary>Inner causes of failures.</summary>
    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "on failure, also print the inner causes (the node's or .NET's own message)",
        Recursive = true,
    };

    /// <summary>All of them.</summary>
    public static IEnumerable<Option> All => [Rpc, Registry, Deployment, Json, Account, Keystore, Fees, Confirmations, Verbose];

    private static Option<T> Recursive<T>(Option<T> option)
    {
        option.Recursive = true;
        return option;
    }
}
