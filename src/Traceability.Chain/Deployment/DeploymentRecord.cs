using System.Text.Json;
using System.Text.Json.Serialization;

namespace Traceability.Chain.Deployment;

/// <summary>
/// Where the registry lives: written by `kp chain deploy` (and chain-dev/deploy.js, same fields)
/// and read by every later command. The code hash and block hash let a client notice a chain that
/// was reset under it.
/// </summary>
public sealed record DeploymentRecord
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    /// <summary>Contract name.</summary>
    public string Contract { get; init; } = "KimberleyRegistry";

    /// <summary>Chain id.</summary>
    public required long ChainId { get; init; }

    /// <summary>JSON-RPC endpoint used to deploy.</summary>
    public required string RpcUrl { get; init; }

    /// <summary>The registry's address.</summary>
    public required string Address { get; init; }

    /// <summary>Governance account.</summary>
    public required string Governor { get; init; }

    /// <summary>Deploying account.</summary>
    public required string Deployer { get; init; }

    /// <summary>Block of the deployment.</summary>
    public required ulong BlockNumber { get; init; }

    /// <summary>Hash of that block.</summary>
    public required string BlockHash { get; init; }

    /// <summary>Deployment transaction.</summary>
    public required string TransactionHash { get; init; }

    /// <summary>keccak256 of the code at the address.</summary>
    public required string RuntimeCodeHash { get; init; }

    /// <summary>Compiler of the bytecode.</summary>
    public string Compiler { get; init; } = "";

    /// <summary>When it was deployed (ISO 8601).</summary>
    public string DeployedAt { get; init; } = "";

    /// <summary>Reads a record file; throws <see cref="FormatException"/> naming the file if it is not one.</summary>
    public static DeploymentRecord Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<DeploymentRecord>(File.ReadAllText(path), Json)
                ?? throw new FormatException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path} is not a deployment record: {Core.Json.JsonErrorText.Describe(e)}", e);
        }
    }

    /// <summary>Writes the record (creating the folder).</summary>
    public void Write(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
    }
}
