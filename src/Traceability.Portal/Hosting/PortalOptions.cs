using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;

namespace Traceability.Portal.Hosting;

/// <summary>
/// The portal's settings (section "Portal"): which chain and registry it reads, where it listens, how
/// it is reached from outside, and its limits. Validated when the portal starts.
/// </summary>
public sealed class PortalOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Portal";

    /// <summary>The node's JSON-RPC endpoint (default: the deployment record's).</summary>
    [Url]
    public string? RpcUrl { get; set; }

    /// <summary>The registry's address (default: the deployment record's).</summary>
    public string? RegistryAddress { get; set; }

    /// <summary>A deployment record (kp chain deploy): registry, chain id and deployment block, checked before the first read.</summary>
    public string? DeploymentPath { get; set; }

    /// <summary>The address to listen on: 127.0.0.1 unless the portal is put behind a proxy.</summary>
    [Required]
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>The port (0: any free port; the bound address is in the host's Urls).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 8080;

    /// <summary>The base URL the portal is reached by from outside (printed codes, links); default: the address it listens on.</summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Largest request body accepted, bytes.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Most ancestor documents in one verification.</summary>
    [Range(0, 10_000)]
    public int MaxAncestors { get; set; } = 200;

    /// <summary>Deepest JSON nesting accepted in a request body.</summary>
    [Range(4, 256)]
    public int MaxJsonDepth { get; set; } = 16;

    /// <summary>Requests a client (one remote IP address) may make per window.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerWindow { get; set; } = 300;

    /// <summary>The rate limit's window, seconds.</summary>
    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 60;

    /// <summary>Verification reports kept for the current head block (the same documents asked again get the report already made); 0: none.</summary>
    [Range(0, 1_000_000)]
    public int VerificationCacheEntries { get; set; } = 1000;

    /// <summary>Longest the chain reads of one request may take, seconds; then the answer is 503.</summary>
    [Range(1, 600)]
    public int ChainTimeoutSeconds { get; set; } = 15;

    /// <summary>An origin policy file (docs/schemas/origin-policy.schema.json) applied to every verification that brings none of its own; none by default.</summary>
    public string? PolicyPath { get; set; }

    /// <summary>The chain deadline as a span.</summary>
    public TimeSpan ChainTimeout => TimeSpan.FromSeconds(ChainTimeoutSeconds);
}

/// <summary>What data annotations cannot say: a chain and a registry must be known one way or the other.</summary>
public sealed class PortalOptionsValidator : IValidateOptions<PortalOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PortalOptions o)
    {
        var failures = new List<string>();
        var record = !string.IsNullOrWhiteSpace(o.DeploymentPath);
        if (record && !File.Exists(o.DeploymentPath)) failures.Add($"Portal:DeploymentPath: {o.DeploymentPath} does not exist");
        if (!record && string.IsNullOrWhiteSpace(o.RpcUrl)) failures.Add("Portal:RpcUrl: give the node's JSON-RPC URL or Portal:DeploymentPath");
        if (!record && string.IsNullOrWhiteSpace(o.RegistryAddress)) failures.Add("Portal:RegistryAddress: give the registry's address or Portal:DeploymentPath");
        if (o.RegistryAddress is { Length: > 0 } a && !IsAddress(a)) failures.Add($"Portal:RegistryAddress: '{a}' is not a 0x-prefixed 20-byte address");
        if (Verification.PolicyInput.Problem(o.PolicyPath) is { } policy) failures.Add(policy);
        if (!IPAddress.TryParse(o.ListenAddress, out _)) failures.Add($"Portal:ListenAddress: '{o.ListenAddress}' is not an IP address");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Whether <paramref name="s"/> is 0x and 40 hex digits.</summary>
    public static bool IsAddress(string s) => s.Length == 42 && s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && !s.AsSpan(2).ContainsAnyExcept("0123456789abcdefABCDEF");
}
