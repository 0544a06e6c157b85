using Traceability.Chain.Accounts;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Cli.Tests;

/// <summary>What the kp tests share: success asserted with the output shown, accounts by role, a deployed registry set up through kp.</summary>
internal static class KpStory
{
    /// <summary>The address of the development account <paramref name="index"/>.</summary>
    public static string A(int index) => Account(index).Address;

    /// <summary>Asserts exit code 0, showing the output otherwise.</summary>
    public static Kp.Result Ok(Kp.Result r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    /// <summary>A registry deployed through kp on <paramref name="rpcUrl"/>: BW and AE with their authorities, the BW miner a member.</summary>
    public static async Task<(Kp Kp, string Dir)> DeployedAsync(string rpcUrl, string folderPrefix)
    {
        var dir = Directory.CreateTempSubdirectory(folderPrefix).FullName;
        var kp = new Kp(new()
        {
            ["KP_DEPLOYMENT"] = Path.Combine(dir, "deployment.json"),
            ["KP_MNEMONIC"] = Mnemonic.DevelopmentPhrase,
        });
        Ok(await kp.RunAsync("chain", "deploy", "--rpc", rpcUrl));
        Ok(await kp.RunAsync("participant", "add", "BW"));
        Ok(await kp.RunAsync("participant", "add", "AE"));
        Ok(await kp.RunAsync("authority", "add", "BW", A(BwAuthority)));
        Ok(await kp.RunAsync("authority", "add", "AE", A(AeAuthority)));
        Ok(await kp.RunAsync("member", "add", A(BwMiner), "--account", "1"));
        return (kp, dir);
    }
}
