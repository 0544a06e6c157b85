using Traceability.Core.Json;
using Traceability.Core.Policies;

namespace Traceability.Cli.Infrastructure;

/// <summary>Reading an origin policy file (kp verify --policy): every problem names the file and the field.</summary>
public static class Policies
{
    /// <summary>Reads and parses a policy; a problem is a <see cref="CliUsageException"/> (exit code 2) naming --policy.</summary>
    public static OriginPolicy Load(FileInfo file)
    {
        var bytes = InputFiles.ReadBytes(file.FullName, PolicyJson.MaxPolicyBytes, "policy");
        try
        {
            return PolicyJson.Parse(bytes);
        }
        catch (RecordFormatException e)
        {
            throw new CliUsageException($"--policy: {file.Name}: {e.Message}", "--policy");
        }
    }
}
