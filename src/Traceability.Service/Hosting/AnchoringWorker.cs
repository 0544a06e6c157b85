using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Traceability.Chain.Rpc;
using Traceability.Service.Anchoring;
using Traceability.Service.Store;

namespace Traceability.Service.Hosting;

/// <summary>
/// The anchoring loop: connects (retrying while the node is down), refuses a chain that was reset
/// under the deployment, recovers what a crash left half-done, then validates and anchors in
/// batches, backing off while the node is unavailable.
/// </summary>
public sealed class AnchoringWorker(Anchorer anchorer, ChainSession chain, RecordStore store, ServiceState state,
    IOptions<AnchoringOptions> options, IHostApplicationLifetime lifetime, ILogger<AnchoringWorker> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var delay = 200;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await chain.ConnectAsync();
                break;
            }
            catch (ChainUnavailableException e)
            {
                state.ChainUp = false;
                Log.ChainDown(logger, e.Message, delay);
                await Task.Delay(delay, stoppingToken);
                delay = Math.Min(delay * 2, o.MaxRetryDelayMs);
            }
        }
        if (!await DeploymentStandsAsync()) return;
        Log.Started(logger, chain.Address, chain.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture), chain.RpcUrl,
            chain.Writer.Sender.Account.Address, store.Path);
        state.ChainUp = true;
        state.Sender = chain.Writer.Sender.Account.Address;
        await anchorer.RecoverAsync();

        var lastCheck = DateTime.UtcNow;
        delay = 200;
        var wasDown = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (wasDown || DateTime.UtcNow - lastCheck > TimeSpan.FromSeconds(o.DeploymentCheckSeconds))
                {
                    if (!await DeploymentStandsAsync()) return;
                    lastCheck = DateTime.UtcNow;
                    if (wasDown)
                    {
                        Log.ChainBack(logger);
                        chain.Writer.Sender.ResetNonce();
                        await anchorer.RecoverAsync();
                        wasDown = false;
                        state.ChainUp = true;
                    }
                }
                // a batch still marked submitted here is not being awaited: settle it by its receipt
                if (store.SubmittedBatches().Count > 0) await anchorer.RecoverAsync();
                var worked = anchorer.ValidateReceived() > 0;
                foreach (var kind in Anchorer.Kinds) worked |= await anchorer.AnchorAsync(kind, stoppingToken) > 0;
                delay = 200;
                if (!worked) await Task.Delay(o.PollIntervalMs, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is ChainUnavailableException or TimeoutException or ChainRpcException)
            {
                wasDown = true;
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
        state.Fatal = string.Join("; ", problems);
        Environment.ExitCode = 3;
        lifetime.StopApplication();
        return false;
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
}
