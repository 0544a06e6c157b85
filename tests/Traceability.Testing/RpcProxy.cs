using System.Net;
using Traceability.Chain.DevChain;

namespace Traceability.Testing;

/// <summary>
/// A JSON-RPC proxy on a free 127.0.0.1 port in front of a node, for outages no timing of a real kill
/// could hit: it can go down (every connection is dropped) after the first <c>eth_chainId</c> it
/// forwards, that is right after a client connected; come back; or forward to another node (a chain
/// reset at the same URL).
/// </summary>
public sealed class RpcProxy : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Task _loop;
    private int _dropped;
    private int _forwarded;

    /// <summary>Starts forwarding to <paramref name="upstream"/>.</summary>
    public RpcProxy(string upstream)
    {
        Upstream = upstream;
        var port = LocalNode.FreePort();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The proxy's URL (what clients are given).</summary>
    public string Url { get; }

    /// <summary>The node requests go to.</summary>
    public volatile string Upstream;

    /// <summary>While true, every request's connection is dropped (the node looks unreachable).</summary>
    public volatile bool Down;

    /// <summary>When true, the proxy goes <see cref="Down"/> right after it forwards an eth_chainId (a client connecting).</summary>
    public volatile bool DownAfterChainId;

    /// <summary>Requests dropped so far.</summary>
    public int Dropped => Volatile.Read(ref _dropped);

    /// <summary>Requests forwarded so far.</summary>
    public int Forwarded => Volatile.Read(ref _forwarded);

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            string body;
            using (var reader = new StreamReader(context.Request.InputStream)) body = await reader.ReadToEndAsync();
            if (Down)
            {
                Interlocked.Increment(ref _dropped);
                context.Response.Abort();
                return;
            }
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(Upstream, content);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            if (DownAfterChainId && body.Contains("\"eth_chainId\"", StringComparison.Ordinal))
            {
                DownAfterChainId = false;
                Down = true;
            }
            Interlocked.Increment(ref _forwarded);
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            try { context.Response.Abort(); } catch (ObjectDisposedException) { }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
        _http.Dispose();
    }
}
