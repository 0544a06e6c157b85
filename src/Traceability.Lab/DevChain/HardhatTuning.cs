using System.Diagnostics;
using Traceability.Chain.Rpc;

namespace Traceability.Lab.DevChain;

/// <summary>
/// How kp starts a Hardhat node for its own work (bench, replay, demo, tests): the node is the slower half of a two-core
/// machine, and every setting here was measured side by side with <c>kp bench anchor --records 100000</c> (README, "Anchoring throughput").
/// </summary>
public static class HardhatTuning
{
    /// <summary>The allocator setting a node is started with (unless the environment names one already).</summary>
    public const string PurgeDelayVariable = "MIMALLOC_PURGE_DELAY";

    /// <summary>
    /// Hardhat's EVM (EDR) allocates with mimalloc, which hands freed pages back to the system 10 ms after they are freed; a node
    /// mining a block of 500 parcels a few dozen times a second then takes the same pages again, page fault by page fault (a quarter
    /// of its CPU samples were the kernel's, page faults the most of them). Kept a second instead: the node's CPU for 100,000 parcel
    /// records went from 7.0-7.7 to 5.9-6.9 s, the records a second up 8-15 %. Never returning them (-1) gave the same CPU, and
    /// 2 GB more of the node's memory at the end of the whole replayed year (20.7 GB instead of 18.6).
    /// </summary>
    public const string KeepFreedPages = "1000";

    /// <summary>
    /// The node's configuration: chain-dev/kp-node.config.js (what <c>kp chain up</c> starts; the built-in network only), not the
    /// checkout's hardhat.config.js, whose plugins load at every start and whose compiled artifacts make the node decode every
    /// call it logs. Its allocator keeps freed pages a second (<see cref="KeepFreedPages"/>).
    /// </summary>
    public static void Apply(ProcessStartInfo psi, string repositoryRoot)
    {
        var config = Path.Combine(repositoryRoot, "chain-dev", "kp-node.config.js");
        if (File.Exists(config))
        {
            psi.ArgumentList.Insert(1, "--config");
            psi.ArgumentList.Insert(2, config);
        }
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PurgeDelayVariable))) psi.Environment[PurgeDelayVariable] = KeepFreedPages;
    }

    /// <summary>
    /// Turns the node's log of every call off once it answers: kp keeps only its first 64 KB (for the message when the node fails
    /// to start) but reads every line, and the node formats each transaction it mines into it.
    /// </summary>
    public static async Task QuietAsync(string url)
    {
        using var rpc = new ChainRpc(url, TimeSpan.FromSeconds(30));
        await rpc.RequestAsync("hardhat_setLoggingEnabled", false).ConfigureAwait(false);
    }
}
