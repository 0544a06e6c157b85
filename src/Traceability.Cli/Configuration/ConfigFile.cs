using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Traceability.Cli.Infrastructure;

namespace Traceability.Cli.Configuration;

/// <summary>Reading and writing one kp.config.json, strictly: an unknown field, a wrong type or anything that looks like a secret is an error naming the file and the field.</summary>
public static class ConfigFile
{
    /// <summary>The file name kp looks for, from the working folder upwards.</summary>
    public const string FileName = "kp.config.json";

    /// <summary>Largest configuration file kp reads.</summary>
    public const long MaxBytes = 256 * 1024;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        AllowDuplicateProperties = false,
    };

    // names that would hold a secret: refused wherever they appear, so a key never sits in a file others may read or commit
    private static readonly string[] SecretNames = ["mnemonic", "privatekey", "private_key", "password", "secret", "seed", "key"];

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="CliUsageException">The file is not a valid configuration (names the file and the field).</exception>
    public static KpConfig Read(string path)
    {
        InputFiles.RequireRegular(path, MaxBytes, "configuration file");
        var text = File.ReadAllText(path);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e) when (e.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            var field = (e.Path ?? "$").TrimStart('$').TrimStart('.');
            var name = e.Message.Split('\'') is { Length: >= 3 } parts ? parts[1] : "a name";
            var where = field.Length == 0 ? name : field + "." + name;
            throw new CliUsageException($"{path}: {where}: given twice (line {(e.LineNumber ?? 0) + 1})", where);
        }
        catch (JsonException e)
        {
            throw new CliUsageException($"{path}: not valid JSON (line {(e.LineNumber ?? 0) + 1}): {e.Message.Split(" Path:")[0].Split(" LineNumber:")[0]}", "configuration file");
        }
        if (node is not JsonObject root) throw new CliUsageException($"{path}: the configuration must be a JSON object", path);
        if (FindSecret(root, "", namesOnly: false) is { } secret)
        {
            throw new CliUsageException($"{path}: {secret}: secrets never go in kp's configuration; name a keystore file (its password in an environment variable) or an index of $KP_MNEMONIC", secret);
        }
        KpConfig config;
        try
        {
            config = root.Deserialize<KpConfig>(Json) ?? new KpConfig();
        }
        catch (JsonException e)
        {
            var field = (e.Path ?? "$").TrimStart('$').TrimStart('.');
            throw new CliUsageException($"{path}: {(field.Length == 0 ? "document" : field)}: {Explain(e)}", field);
        }
        Check(config, path);
        return config;
    }

    /// <summary>Writes <paramref name="config"/> to <paramref name="path"/> (through a temporary file and a rename).</summary>
    public static void Write(string path, KpConfig config)
    {
        var text = JsonSerializer.Serialize(config, Json) + "\n";
        if (text.Length > MaxBytes) throw new CliUsageException($"{path}: the configuration would be {text.Length:N0} bytes; kp reads at most {MaxBytes:N0}", "configuration file");
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }

    private static void Check(KpConfig config, string path)
    {
        foreach (var (name, a) in config.Accounts)
        {
            if (!IsName(name)) throw new CliUsageException($"{path}: accounts.{name}: an account name is letters, digits, '-', '_' or '.', starting with a letter", $"accounts.{name}");
            if ((a.Index is null) == (a.Keystore is null)) throw new CliUsageException($"{path}: accounts.{name}: give exactly one of index or keystore", $"accounts.{name}");
            if (a.Index is < 0) throw new CliUsageException($"{path}: accounts.{name}.index: must be 0 or more", $"accounts.{name}.index");
            if (RoleProblem(a.Role) is { } problem) throw new CliUsageException($"{path}: accounts.{name}.role: {problem}", $"accounts.{name}.role");
        }
        foreach (var (name, n) in config.Networks)
        {
            if (!IsName(name)) throw new CliUsageException($"{path}: networks.{name}: a network name is letters, digits, '-', '_' or '.', starting with a letter", $"networks.{name}");
            if (n.Rpc is null && n.Deployment is null) throw new CliUsageException($"{path}: networks.{name}: give rpc, deployment or both", $"networks.{name}");
        }
    }

    /// <summary>Longest role text an account may carry.</summary>
    public const int MaxRoleLength = 200;

    /// <summary>What is wrong with a role text (too long, or holding control characters that would rewrite a terminal), or null.</summary>
    public static string? RoleProblem(string? role) =>
        role is null ? null
        : role.Length > MaxRoleLength ? $"at most {MaxRoleLength} characters ({role.Length:N0} given)"
        : role.Any(char.IsControl) ? "no control characters (line breaks, escapes): it is printed in tables"
        : null;

    /// <summary>Whether <paramref name="name"/> can name an account or a network.</summary>
    public static bool IsName(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    // namesOnly: the keys of this object are names people chose (of accounts, of networks), not fields: an account may be called "key"
    private static string? FindSecret(JsonNode node, string at, bool namesOnly)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    var here = at.Length == 0 ? k : at + "." + k;
                    if (!namesOnly && SecretNames.Contains(k.ToLowerInvariant())) return here;
                    if (v is not null && FindSecret(v, here, namesOnly: at.Length == 0 && k is "accounts" or "networks") is { } found) return found;
                }
                return null;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is { } v && FindSecret(v, $"{at}[{i}]", namesOnly: false) is { } found) return found;
                }
                return null;
            default:
                return null;
        }
    }

    private static string Explain(JsonException e) =>
        e.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "unknown field (see kp config show --help for the fields)"
        : e.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase) ? "given twice"
        : "wrong type of value";
}
