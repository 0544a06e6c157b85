using Traceability.Cli.Infrastructure;

namespace Traceability.Cli.Configuration;

/// <summary>A setting's value and where it came from (a flag, a variable, a file, a default), as kp config show prints it.</summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <param name="Value">The value.</param>
/// <param name="Source">Where it came from.</param>
public sealed record Setting<T>(T Value, string Source);

/// <summary>
/// The configuration in effect: the nearest <c>kp.config.json</c> from the working folder upwards, over the
/// user's (<see cref="KpHome.UserConfigPath"/>); a network or account defined in both is the nearer file's.
/// </summary>
public sealed class KpSettings
{
    private KpSettings(IReadOnlyList<(string Path, KpConfig Config)> files) => Files = files;

    /// <summary>The files read, nearest first.</summary>
    public IReadOnlyList<(string Path, KpConfig Config)> Files { get; }

    /// <summary>The nearest project file (the one kp account add writes), if any.</summary>
    public string? ProjectFile { get; private init; }

    /// <summary>Reads the configuration in effect for <paramref name="workingDirectory"/>.</summary>
    public static KpSettings Load(string workingDirectory, Func<string, string?> env)
    {
        var files = new List<(string, KpConfig)>();
        string? project = null;
        if (env("KP_CONFIG") is { Length: > 0 } explicitPath)
        {
            var full = Path.GetFullPath(explicitPath, workingDirectory);
            if (!Path.Exists(full)) throw new CliUsageException($"KP_CONFIG: {full} does not exist", "KP_CONFIG");
            if (Directory.Exists(full)) throw new CliUsageException($"KP_CONFIG: {full} is a folder; name the configuration file in it", "KP_CONFIG");
            files.Add((full, ConfigFile.Read(full)));
            project = full;
        }
        else
        {
            for (var dir = new DirectoryInfo(workingDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, ConfigFile.FileName);
                if (Path.Exists(candidate) || new FileInfo(candidate).LinkTarget is not null) // a folder or a FIFO of that name is refused by the reader, never skipped
                {
                    files.Add((candidate, ConfigFile.Read(candidate)));
                    project = candidate;
                    break;
                }
            }
        }
        var user = KpHome.UserConfigPath(env);
        if ((Path.Exists(user) || new FileInfo(user).LinkTarget is not null) && !string.Equals(user, project, StringComparison.Ordinal)) files.Add((user, ConfigFile.Read(user)));
        return new KpSettings(files) { ProjectFile = project };
    }

    /// <summary>The default network name, and the file that names it.</summary>
    public Setting<string>? DefaultNetwork => First(c => c.Network);

    /// <summary>The default account name, and the file that names it.</summary>
    public Setting<string>? DefaultAccount => First(c => c.Account);

    /// <summary>Every network by name (nearest file wins), with its file.</summary>
    public IReadOnlyDictionary<string, Setting<NetworkConfig>> Networks => Collect(c => c.Networks);

    /// <summary>Every account by name (nearest file wins), with its file.</summary>
    public IReadOnlyDictionary<string, Setting<AccountConfig>> Accounts => Collect(c => c.Accounts);

    /// <summary>The network <paramref name="name"/>, or a usage error listing the known ones.</summary>
    public Setting<NetworkConfig> Network(string name, string asked) =>
        Networks.TryGetValue(name, out var n) ? n : throw new CliUsageException(
            $"{asked}: no network '{name}' in kp's configuration{Suggest(name, Networks.Keys)}; {Known("networks", Networks.Keys)}", asked);

    /// <summary>The account <paramref name="name"/>, or a usage error listing the known ones.</summary>
    public Setting<AccountConfig> Account(string name, string asked) =>
        Accounts.TryGetValue(name, out var a) ? a : throw new CliUsageException(
            $"{asked}: no account '{name}' in kp's configuration{Suggest(name, Accounts.Keys)}; {Known("accounts", Accounts.Keys)}", asked);

    /// <summary>A path of a configuration file made absolute against that file's folder.</summary>
    public static string Resolve(string path, string configFile) => Path.GetFullPath(path, Path.GetDirectoryName(configFile)!);

    private Setting<string>? First(Func<KpConfig, string?> pick)
    {
        foreach (var (path, config) in Files)
        {
            if (pick(config) is { } v) return new(v, path);
        }
        return null;
    }

    private Dictionary<string, Setting<T>> Collect<T>(Func<KpConfig, IReadOnlyDictionary<string, T>> pick)
    {
        var all = new Dictionary<string, Setting<T>>(StringComparer.Ordinal);
        foreach (var (path, config) in Files.Reverse()) // farthest first, so the nearest overwrites
        {
            foreach (var (k, v) in pick(config)) all[k] = new(v, path);
        }
        return all;
    }

    private static string Known(string what, IEnumerable<string> names)
    {
        var list = names.Order(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? $"no {what} are configured (kp config show says where kp looks)" : $"configured {what}: {string.Join(", ", list)}";
    }

    // the "did you mean" every kp value gets (Suggestions: edit distance with swaps, case-insensitive)
    private static string Suggest(string name, IEnumerable<string> names) =>
        Suggestions.Nearest(name, names) is { } near ? $" (did you mean '{near}'?)" : "";
}
