using System.Diagnostics;
using System.Text;
using Traceability.Lab.DevChain;
using Traceability.Service.Store;
using Traceability.Testing;

namespace Traceability.Service.Tests.Anchoring;

/// <summary>Issue 7, item 8, in the service: no batch is ever sent into a chain reset under the deployment.</summary>
[Trait("Category", "Chain")]
public class AnchorerTests
{
    [Fact]
    public async Task A_batch_is_not_sent_into_a_chain_reset_between_two_deployment_checks()
    {
        await using var anvil = await LocalNode.StartAsync(RepoPaths.Root, LocalNodeKind.Anvil);
        using var h = await ServiceHarness.CreateAsync(anvil);
        var settings = h.Settings();
        settings["Anchoring:DeploymentCheckSeconds"] = "3600"; // the periodic check will not see it: only the check before each batch can
        var log = new StringBuilder();
        using var child = h.StartChild(settings, log: log);
        try
        {
            h.Drop(SampleRecords.OriginParcel("BW"));
            await h.WaitSettledAsync(1, TimeSpan.FromSeconds(90));
            await h.Registry.Rpc.RequestAsync("anvil_reset"); // the chain is reset under the running service: no code at the address
            var late = SampleRecords.OriginParcel("BW");
            h.Drop(late);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await child.WaitForExitAsync(cts.Token);
            Assert.True(child.ExitCode == 3, log.ToString());
            using var store = h.OpenStore();
            Assert.NotEqual(RecordStage.Confirmed, store.ByHash(late.Hash().ToString()).SingleOrDefault()?.Stage);
            Assert.Equal(0, store.Counts()[RecordStage.Submitted]);
            Assert.Contains("was reset", log.ToString()); // the deployment block gone (the quick check before the batch) or no code (the full one)
        }
        finally
        {
            if (!child.HasExited)
            {
                using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-KILL", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
                await kill.WaitForExitAsync();
            }
        }
    }
}
