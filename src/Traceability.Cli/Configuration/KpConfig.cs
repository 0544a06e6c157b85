namespace Traceability.Cli.Configuration;

/// <summary>
/// kp's configuration file (<c>kp.config.json</c>): named networks and named accounts, and which of each is
/// the default. Never a secret: an account is a keystore file (its password in an environment variable) or
/// an index of the mnemonic in <c>$KP_MNEMONIC</c>. Relative paths are relative to the file's folder.
/// </summary>
public sealed record KpConfig
{
    /// <summary>The network used when no --network is given.</summary>
    public string? Network { get; init; }

    /// <summary>The account used when no --account is given.</summary>
    public string? Account { get; init; }

    /// <summary>Named networks.</summary>
    public IReadOnlyDictionary<string, NetworkConfig> Networks { get; init; } = new Dictionary<string, NetworkConfig>();

    /// <summary>Named accounts.</summary>
    public IReadOnlyDictionary<string, AccountConfig> Accounts { get; init; } = new Dictionary<string, AccountConfig>();
}

/// <summary>A named network: where its node answers and where its deployment record is.</summary>
public sealed record NetworkConfig
{
    /// <summary>The node's JSON-RPC endpoint.</summary>
    public string? Rpc { get; init; }

    /// <summary>The deployment record of the registry on that network.</summary>
    public string? Deployment { get; init; }

    /// <summary>The public address of that network's verification portal (what printed QR codes point at).</summary>
    public string? Portal { get; init; }
}

/// <summary>A named account: a role's key, by reference only.</summary>
public sealed record AccountConfig
{
    /// <summary>Index m/44'/60'/0'/0/N of the mnemonic in $KP_MNEMONIC (on a dev chain, of the public test phrase).</summary>
    public int? Index { get; init; }

    /// <summary>An encrypted JSON keystore file.</summary>
    public string? Keystore { get; init; }

    /// <summary>The environment variable holding the keystore's password (default KP_KEYSTORE_PASSWORD).</summary>
    public string? PasswordVariable { get; init; }

    /// <summary>What the account is for (free text, shown by kp account list).</summary>
    public string? Role { get; init; }
}
