using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Traceability.Service.Diagnostics;
using Traceability.Service.Store;

namespace Traceability.Service.Hosting;

/// <summary>Optional loopback HTTP endpoint: GET /health and GET /status (the record counts).</summary>
public sealed class StatusEndpoint(RecordStore store, ServiceState state, IOptions<AnchoringOptions> options, ILogger<StatusEndpoint> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var port = options.Value.HttpPort;
        if (port == 0) return;
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
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
                "/status" => store.Counts(),
                _ => null,
            };
            context.Response.StatusCode = body is null ? 404 : path == "/health" && (!state.ChainUp || state.Fatal is not null) ? 503 : 200;
            context.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(context.Response.OutputStream, body ?? new { error = "use /health or /status" }, cancellationToken: stoppingToken);
            context.Response.Close();
        }
    }
}
