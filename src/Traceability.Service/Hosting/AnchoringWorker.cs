using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Traceability.Chain.Deployment;
using Traceability.Chain.Rpc;
using Traceability.Chain.Signing;
using Traceability.Service.Anchoring;
using Traceability.Service.Diagnostics;
using Traceability.Service.Store;

namespace Traceability.Service.Hosting;

/// <summary>
/// The anchoring loop: connects (retrying with backoff while the node is down), refuses a chain that
/// was reset under the deployment, recovers what a crash left half-done, then validates and anchors in
/// batches. Losing the node at any point (even right after connecting) only means connecting again:
/// the service stops by itself only for a fatal cause (a reset chain or another contract at the
/// address: exit code 3; an account it cannot open: exit code 2), and says why.
/// </summary>
public sealed class AnchoringWorker(Anchorer anchorer, ChainSession chain, RecordStore store, ServiceState state,
    IOptions<AnchoringOptions> options, IHostApplicationLifetime lifetime, ILogger<AnchoringWorker> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var delay = 200;
        var connected = false; // connected, deployment checked, what a crash or an outage left settled
        var everConnected = false;
        var lastCheck = DateTime.UtcNow;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!connected)
                {
                    try
                    {
                        await chain.ConnectAsync();
                    }
                    catch (Exception e) when (e is InvalidOperationException or FormatException or CryptographicException)
                    {
                        Stop(2, $"cannot open the sending account: {e.Message}");
                        return;
                    }
                    if (!await DeploymentStandsAsync()) return;
                    if (everConnected)
                    {
                        Log.ChainBack(logger);
                        chain.Writer.Sender.ResetNonce();
                    }
                    else
                    {
                        Log.Started(logger, chain.Address, chain.ChainId.ToString(CultureInfo.InvariantCulture), chain.RpcUrl,
                            chain.Writer.Sender.Account.Address, store.Path);
                    }
                    state.Sender = chain.Writer.Sender.Account.Address;
                    await anchorer.RecoverAsync();
                    state.ChainUp = true;
                    connected = everConnected = true;
                    lastCheck = DateTime.UtcNow;
                    delay = 200;
                }
                if (DateTime.UtcNow - lastCheck > TimeSpan.FromSeconds(o.DeploymentCheckSeconds))
                {
                    if (!await DeploymentStandsAsync()) return;
                    lastCheck = DateTime.UtcNow;
                }
                await anchorer.SettleInFlightAsync();
                // with nothing in flight, a batch still marked submitted is not being awaited: settle it by its receipt
                if (anchorer.InFlight == 0 && store.SubmittedBatches().Count > 0) await anchorer.RecoverAsync();
                // validation (parsing, rules, hashing, on both cores) runs while batches are prepared and sent
                var validation = Task.Run(() => anchorer.ValidateReceived(), CancellationToken.None);
                var worked = false;
                try
                {
                    foreach (var kind in Anchorer.Kinds) worked |= await anchorer.AnchorAsync(kind, stoppingToken) > 0;
                }
                finally
                {
                    worked |= await validation > 0;
                }
                delay = 200;
                if (!worked) await Task.Delay(o.PollIntervalMs, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (DeploymentUnavailableException e)
            {
                Log.DeploymentGone(logger, string.Join("; ", e.Problems));
                Stop(3, e.Message + ". Anchoring into a reset chain would lose records: deploy again (kp chain deploy) and give the new deployment its own service folder");
                return;
            }
            catch (RemoteSignerException e)
            {
                // nothing was signed or sent: the records stay stored, a batch marked submitted is settled (requeued) on reconnecting
                connected = false;
                Log.SignerDown(logger, e.Message, delay);
                await Task.Delay(delay, stoppingToken);
                delay = Math.Min(delay * 2, o.MaxRetryDelayMs);
            }
            catch (Exception e) when (e is ChainUnavailableException or TimeoutException or ChainRpcException)
            {
                connected = false;
                state.ChainUp = false;
                Log.ChainDown(logger, e.Message, delay);
                await Task.Delay(delay, stoppingToken);
                delay = Math.Min(delay * 2, o.MaxRetryDelayMs);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.LoopError(logger, e);
                await Task.Delay(delay, stoppingToken);
                delay = Math.Min(delay * 2, o.MaxRetryDelayMs);
            }
        }
    }

    private async Task<bool> DeploymentStandsAsync()
    {
        var problems = await chain.CheckDeploymentAsync();
        if (problems.Count == 0) return true;
        Log.DeploymentGone(logger, string.Join("; ", problems));
        Stop(3, string.Join("; ", problems));
        return false;
    }

    private void Stop(int exitCode, string reason)
    {
        if (exitCode != 3) Log.Fatal(logger, reason);
        state.Fatal = reason;
        state.ExitCode = exitCode;
        state.ChainUp = false;
        lifetime.StopApplication();
    }
}

/// <summary>What the service knows of itself, for the status endpoint.</summary>
public sealed class ServiceState
{
    /// <summary>Whether the node answered last time.</summary>
    public volatile bool ChainUp;

    /// <summary>The sending account.</summary>
    public string? Sender { get; set; }

    /// <summary>Why the service stopped, when it did.</summary>
    public string? Fatal { get; set; }

    /// <summary>The exit code the service's program (and kp serve) returns: 0, or why it stopped by itself (3: the deployment does not stand; 2: bad settings).</summary>
    public int ExitCode { get; set; }
}
