namespace Traceability.Cli.Infrastructure;

/// <summary>Finding the repository (for node_modules and the dev-chain scripts).</summary>
public static class Paths
{
    /// <summary>$KP_REPO, or the nearest folder upwards (from here, then from kp's binary) holding node_modules/hardhat and chain-dev.</summary>
    public static string? FindRepositoryRoot()
    {
        if (Environment.GetEnvironmentVariable("KP_REPO") is { Length: > 0 } repo) return Path.GetFullPath(repo);
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (Directory.Exists(Path.Combine(dir.FullName, "chain-dev")) && File.Exists(Path.Combine(dir.FullName, "hardhat.config.js"))) return dir.FullName;
            }
        }
        return null;
    }

    /// <summary>The repository root, or a usage error saying how to point kp at it.</summary>
    public static string RequireRepositoryRoot() =>
        FindRepositoryRoot() ?? throw new CliEnvironmentException("cannot find the kp repository (with chain-dev/ and node_modules/): run kp from inside it or set KP_REPO");
}
