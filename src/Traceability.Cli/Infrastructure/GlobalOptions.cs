using System.CommandLine;
using Traceability.Chain.Transactions;
using Traceability.Cli.Configuration;

namespace Traceability.Cli.Infrastructure;

/// <summary>Options every command accepts.</summary>
public static class GlobalOptions
{
    /// <summary>JSON-RPC endpoint (overrides the deployment record's).</summary>
    public static readonly Option<string?> Rpc = Recursive(StrictOptions.Url("--rpc", "JSON-RPC endpoint of the chain (default: $KP_RPC_URL, the network's in kp.config.json, else the deployment record's)"));

    /// <summary>Registry address (overrides the deployment record's).</summary>
    public static readonly Option<string?> Registry = Recursive(StrictOptions.Address("--registry", "address of the registry contract (default: the deployment record's)"));

    /// <summary>Deployment record file.</summary>
    public static readonly Option<FileInfo?> Deployment = new("--deployment")
    {
        Description = "deployment record (default: $KP_DEPLOYMENT, the network's in kp.config.json, else deployment.json in kp's home: chain-dev/run/ in a checkout, ~/.local/share/kp/ elsewhere)",
        Recursive = true,
    };

    /// <summary>Machine output.</summary>
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "print JSON for machines instead of tables for people",
        Recursive = true,
    };

    /// <summary>The sending account: a name from kp's configuration, or an index of KP_MNEMONIC.</summary>
    public static readonly Option<string?> Account = Named(Recursive(StrictOptions.Text("--account",
        "the sending account: a name from kp.config.json (kp account list), or an index N of $KP_MNEMONIC, m/44'/60'/0'/0/N "
            + "(on a dev chain, of the public test phrase); default: $KP_ACCOUNT, the configuration's default, else 0", AccountName)), "name|N");

    /// <summary>A named network of kp's configuration.</summary>
    public static readonly Option<string?> Network = new("--network")
    {
        Description = "a network named in kp.config.json (its RPC endpoint and deployment record); default: $KP_NETWORK, else the configuration's default",
        Recursive = true,
        HelpName = "name",
    };

    /// <summary>Encrypted keystore file.</summary>
    public static readonly Option<FileInfo?> Keystore = new("--keystore")
    {
        Description = "encrypted JSON keystore of the sending account; its password comes from $KP_KEYSTORE_PASSWORD",
        Recursive = true,
    };

    /// <summary>A remote signer holding the sending key (Clef, Web3Signer, a wallet bridge).</summary>
    public static readonly Option<string?> Signer = Recursive(StrictOptions.Url("--signer",
        "a remote signer's JSON-RPC endpoint (Clef, Web3Signer, a wallet bridge) that holds the key: kp asks it to sign (eth_signTypedData_v4, eth_signTransaction) "
            + "and never sees the key; default: $KP_SIGNER; overrides --account and --keystore"));

    /// <summary>The remote signer's account, when it offers several.</summary>
    public static readonly Option<string?> SignerAccount = Recursive(StrictOptions.Address("--signer-account",
        "with --signer: the signer's account to use (default: the one account it offers)"));

    /// <summary>How long kp waits for the remote signer.</summary>
    public static readonly Option<int> SignerTimeout = Recursive(StrictOptions.Integer("--signer-timeout",
        "with --signer: seconds to wait for each signature, long enough for a person to confirm on a device (1-3600)", 1, 3600, 120));

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
    public static IEnumerable<Option> All => [Network, Rpc, Registry, Deployment, Account, Keystore, Signer, SignerAccount, SignerTimeout, Fees, Confirmations, Json, Verbose];

    /// <summary>An index (0 or more) or a name as kp.config.json allows; anything else is a <see cref="FormatException"/> (--account and $KP_ACCOUNT alike).</summary>
    internal static string AccountName(string text)
    {
        if (text.Length > 0 && text.All(char.IsAsciiDigit))
        {
            return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)
                ? text : throw new FormatException($"{text} is out of range: an index from 0 to {int.MaxValue}");
        }
        if (text.StartsWith('-') && text.Length <= 12) throw new FormatException($"'{text}' is not an account: an index must be 0 or more");
        return ConfigFile.IsName(text) ? text
            : throw new FormatException($"'{(text.Length > 64 ? text[..64] + "…" : text)}' is neither an account name (letters, digits, '-', '_' or '.', starting with a letter) nor an index (0, 1, 2...)");
    }

    private static Option<T> Named<T>(Option<T> option, string helpName)
    {
        option.HelpName = helpName;
        return option;
    }

    private static Option<T> Recursive<T>(Option<T> option)
    {
        option.Recursive = true;
        return option;
    }
}
