namespace Traceability.Cli.Configuration;

/// <summary>
/// Where kp keeps what it writes by default (the deployment record, the records of nodes it started, the
/// service folder): <c>$KP_HOME</c>; inside a kp checkout, its <c>chain-dev/run/</c>; else the user's data
/// folder (<c>$XDG_DATA_HOME/kp</c>, by default <c>~/.local/share/kp</c>).
/// </summary>
public static class KpHome
{
    /// <summary>The folder, and in a few words why it is that one.</summary>
    public static (string Path, string Source) Resolve(string workingDirectory, Func<string, string?> env)
    {
        if (env("KP_HOME") is { Length: > 0 } home) return (System.IO.Path.GetFullPath(home, workingDirectory), "$KP_HOME");
        if (Checkout(workingDirectory) is { } root) return (System.IO.Path.Combine(root, "chain-dev", "run"), "the kp checkout");
        var data = env("XDG_DATA_HOME") is { Length: > 0 } x ? x
            : System.IO.Path.Combine(env("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return (System.IO.Path.Combine(data, "kp"), "the user's data folder");
    }

    /// <summary>The kp checkout holding <paramref name="directory"/> (a folder with chain-dev/ and hardhat.config.js), if any.</summary>
    public static string? Checkout(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(System.IO.Path.Combine(dir.FullName, "chain-dev")) && File.Exists(System.IO.Path.Combine(dir.FullName, "hardhat.config.js"))) return dir.FullName;
        }
        return null;
    }

    /// <summary>The user's configuration file: <c>$XDG_CONFIG_HOME/kp/kp.config.json</c> (by default under <c>~/.config</c>).</summary>
    public static string UserConfigPath(Func<string, string?> env)
    {
        var config = env("XDG_CONFIG_HOME") is { Length: > 0 } x ? x
            : System.IO.Path.Combine(env("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return System.IO.Path.Combine(config, "kp", ConfigFile.FileName);
    }
}
