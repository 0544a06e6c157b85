using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Traceability.Service.Diagnostics;
using Traceability.Service.Store;

namespace Traceability.Service.Hosting;

/// <summary>Optional loopback HTTP endpoint: GET /health and GET /status (the record counts).</summary>
/// <remarks>A port that cannot be listened on (taken, or not allowed) stops the service with exit code 2 (a bad setting) and says why.</remarks>
public sealed class StatusEndpoint(RecordStore store, ServiceState state, IOptions<AnchoringOptions> options, IHostApplicationLifetime lifetime, ILogger<StatusEndpoint> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var port = options.Value.HttpPort;
        if (port == 0) return;
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        try
        {
            listener.Start();
        }
        catch (HttpListenerException e)
        {
            var reason = $"cannot listen on the HTTP port {port} (HttpPort, kp serve --http-port): {e.Message}. Give a free port, or 0 for none.";
            Log.Fatal(logger, reason);
            state.Fatal = reason;
            state.ExitCode = 2;
            state.ChainUp = false;
            lifetime.StopApplication();
            return;
        }
        Log.Http(logger, port);
        using var registration = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                break;
            }
            var path = context.Request.Url?.AbsolutePath ?? "/";
            object? body = path switch
            {
                "/health" => new { status = state.Fatal is null ? (state.ChainUp ? "ok" : "chain-down") : "stopped", chainUp = state.ChainUp, sender = state.Sender, fatal = state.Fatal },
                "/status" => store.Counts().ToDictionary(c => c.Key.ToText(), c => c.Value),
                _ => null,
            };
            context.Response.StatusCode = body is null ? 404 : path == "/health" && (!state.ChainUp || state.Fatal is not null) ? 503 : 200;
            context.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(context.Response.OutputStream, body ?? new { error = "use /health or /status" }, cancellationToken: stoppingToken);
            context.Response.Close();
        }
    }
}
