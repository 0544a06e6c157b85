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
        catch (JsonException e)
        {
            throw new CliUsageException($"{path}: not valid JSON (line {(e.LineNumber ?? 0) + 1}): {e.Message.Split(" Path:")[0]}", path);
        }
        if (node is not JsonObject root) throw new CliUsageException($"{path}: the configuration must be a JSON object", path);
        if (FindSecret(root, "") is { } secret)
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
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(config, Json) + "\n");
        File.Move(tmp, path, overwrite: true);
    }

    private static void Check(KpConfig config, string path)
    {
        foreach (var (name, a) in config.Accounts)
        {
            if (!IsName(name)) throw new CliUsageException($"{path}: accounts.{name}: an account name is letters, digits, '-', '_' or '.', starting with a letter", $"accounts.{name}");
            if ((a.Index is null) == (a.Keystore is null)) throw new CliUsageException($"{path}: accounts.{name}: give exactly one of index or keystore", $"accounts.{name}");
            if (a.Index is < 0) throw new CliUsageException($"{path}: accounts.{name}.index: must be 0 or more", $"accounts.{name}.index");
        }
        foreach (var (name, n) in config.Networks)
        {
            if (!IsName(name)) throw new CliUsageException($"{path}: networks.{name}: a network name is letters, digits, '-', '_' or '.', starting with a letter", $"networks.{name}");
            if (n.Rpc is null && n.Deployment is null) throw new CliUsageException($"{path}: networks.{name}: give rpc, deployment or both", $"networks.{name}");
        }
    }

    /// <summary>Whether <paramref name="name"/> can name an account or a network.</summary>
    public static bool IsName(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static string? FindSecret(JsonNode node, string at)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    var here = at.Length == 0 ? k : at + "." + k;
                    if (SecretNames.Contains(k.ToLowerInvariant())) return here;
                    if (v is not null && FindSecret(v, here) is { } found) return found;
                }
                return null;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is { } v && FindSecret(v, $"{at}[{i}]") is { } found) return found;
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
