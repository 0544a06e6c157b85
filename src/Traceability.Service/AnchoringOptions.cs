using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Traceability.Chain.Transactions;

namespace Traceability.Service;

/// <summary>
/// Settings of the anchoring service (configuration section "Anchoring"). Validated at start: a
/// wrong value stops the service before it touches anything. Secrets are not settings: the
/// mnemonic comes from KP_MNEMONIC and the keystore password from KP_KEYSTORE_PASSWORD.
/// </summary>
public sealed class AnchoringOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Anchoring";

    /// <summary>Folder holding the store (store.db), the drop folder (inbox/) and the rejected area (rejected/).</summary>
    [Required] public string ServiceDirectory { get; set; } = Path.Combine("chain-dev", "run", "service");

    /// <summary>Deployment record to read the chain and registry from (when RpcUrl and RegistryAddress are not given).</summary>
    public string? DeploymentPath { get; set; }

    /// <summary>JSON-RPC endpoint.</summary>
    [Url] public string? RpcUrl { get; set; }

    /// <summary>Registry address.</summary>
    [RegularExpression("^0x[0-9a-fA-F]{40}$", ErrorMessage = "RegistryAddress must be 0x followed by 40 hex digits")]
    public string? RegistryAddress { get; set; }

    /// <summary>Account index of the mnemonic (KP_MNEMONIC, or the public test phrase on a dev chain).</summary>
    [Range(0, int.MaxValue)] public int AccountIndex { get; set; }

    /// <summary>Encrypted keystore of the sender (password in <see cref="KeystorePasswordVariable"/>); overrides AccountIndex.</summary>
    public string? KeystorePath { get; set; }

    /// <summary>The environment variable holding the keystore's password (a name, never the password).</summary>
    [RegularExpression("^[A-Za-z_][A-Za-z0-9_]*$", ErrorMessage = "KeystorePasswordVariable must name an environment variable (letters, digits, '_')")]
    public string KeystorePasswordVariable { get; set; } = "KP_KEYSTORE_PASSWORD";

    /// <summary>
    /// A remote signer's JSON-RPC endpoint (Clef, Web3Signer, a wallet bridge) that holds the sending key and signs each
    /// transaction (eth_signTransaction); overrides KeystorePath and AccountIndex. No key enters the service.
    /// </summary>
    [Url] public string? SignerUrl { get; set; }

    /// <summary>With <see cref="SignerUrl"/>: the signer's account to send from (default: the one account it offers).</summary>
    [RegularExpression("^0x[0-9a-fA-F]{40}$", ErrorMessage = "SignerAccount must be 0x followed by 40 hex digits")]
    public string? SignerAccount { get; set; }

    /// <summary>With <see cref="SignerUrl"/>: how long one signing request may wait, in seconds; a signer that does not answer in time leaves the batch for a retry.</summary>
    [Range(1, 3600)] public int SignerTimeoutSeconds { get; set; } = 120;

    /// <summary>Most records in one transaction (the per-transaction gas cap allows about 600 parcels).</summary>
    [Range(1, 600)] public int MaxBatchSize { get; set; } = 500;

    /// <summary>
    /// Most batch transactions in flight at once: sent in nonce order, each awaited in the background while the
    /// next are prepared and sent (1: one at a time). A ceiling: the gas in flight also stays within two blocks' gas
    /// limit (read from the node), which is what fills the blocks while work waits — on a 60 M gas block (the KP's
    /// Besu network) eight batches of 500 parcels, on a 30 M local node four.
    /// </summary>
    [Range(1, 64)] public int MaxInFlightBatches { get; set; } = 16;

    /// <summary>Longest a pending record waits for its batch to fill, in milliseconds.</summary>
    [Range(0, 600_000)] public int MaxBatchDelayMs { get; set; } = 250;

    /// <summary>Pause between polls of the drop folder and the store, in milliseconds.</summary>
    [Range(5, 60_000)] public int PollIntervalMs { get; set; } = 50;

    /// <summary>Blocks a batch must be buried under before its records count as confirmed.</summary>
    [Range(1, 1000)] public int Confirmations { get; set; } = 1;

    /// <summary>Fee mode.</summary>
    public FeeMode Fees { get; set; } = FeeMode.Auto;

    /// <summary>How long to wait for a receipt before the batch is considered stuck, in seconds.</summary>
    [Range(1, 3600)] public int ReceiptTimeoutSeconds { get; set; } = 60;

    /// <summary>How long one JSON-RPC request may take before the node counts as unavailable, in seconds.</summary>
    [Range(1, 600)] public int RpcTimeoutSeconds { get; set; } = 30;

    /// <summary>Longest pause between retries while the node is down, in milliseconds.</summary>
    [Range(100, 600_000)] public int MaxRetryDelayMs { get; set; } = 10_000;

    /// <summary>How often to check that the deployment still stands (a reset chain stops the service), in seconds.</summary>
    [Range(1, 3600)] public int DeploymentCheckSeconds { get; set; } = 10;

    /// <summary>Loopback port of the health and status endpoint (0: none).</summary>
    [Range(0, 65535)] public int HttpPort { get; set; }

    /// <summary>The service folder's layout: store, drop folder, rejected area, taken files, lock file.</summary>
    public ServiceLayout Layout => new(ServiceDirectory);
}

/// <summary>Checks of the options that span several settings.</summary>
public sealed class AnchoringOptionsValidator : IValidateOptions<AnchoringOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AnchoringOptions o)
    {
        var failures = new List<string>();
        if (o.RpcUrl is null != (o.RegistryAddress is null) && o.DeploymentPath is null)
        {
            failures.Add("give both RpcUrl and RegistryAddress, or a DeploymentPath");
        }
        if (o.RpcUrl is null && o.RegistryAddress is null && o.DeploymentPath is null)
        {
            failures.Add("no chain: give DeploymentPath (a deployment record), or RpcUrl and RegistryAddress");
        }
        if (o.DeploymentPath is not null && o.RegistryAddress is null && !File.Exists(o.DeploymentPath))
        {
            failures.Add($"DeploymentPath {o.DeploymentPath} does not exist: deploy first (kp chain deploy)");
        }
        if (o.RegistryAddress is not null && Regex.IsMatch(o.RegistryAddress, "^0x[0-9a-fA-F]{40}$") && !Core.Validation.StrictValues.IsAddress(o.RegistryAddress))
        {
            failures.Add($"RegistryAddress {o.RegistryAddress} has a wrong EIP-55 checksum (its upper- and lower-case letters do not match): a typo?");
        }
        if (o.KeystorePath is not null && !File.Exists(o.KeystorePath)) failures.Add($"KeystorePath {o.KeystorePath} does not exist");
        if (o.RpcUrl is not null && !(o.RpcUrl.StartsWith("http://", StringComparison.Ordinal) || o.RpcUrl.StartsWith("https://", StringComparison.Ordinal)))
        {
            failures.Add("RpcUrl must be an http(s) URL");
        }
        if (o.SignerUrl is not null && !(o.SignerUrl.StartsWith("http://", StringComparison.Ordinal) || o.SignerUrl.StartsWith("https://", StringComparison.Ordinal)))
        {
            failures.Add("SignerUrl must be an http(s) URL");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
