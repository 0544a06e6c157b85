using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Traceability.Testing;

/// <summary>
/// A TCP proxy on a free 127.0.0.1 port in front of a JSON-RPC node, for outages no timing of a real
/// kill could hit: it can go down (open connections are reset and new ones refused with a reset, as a
/// dead node's port would) right after it has answered the first <c>eth_chainId</c>, that is right after
/// a client connected; come back; or forward to another node (a chain reset behind the same URL).
/// </summary>
public sealed class RpcProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<int, (TcpClient Client, TcpClient Upstream)> _open = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private volatile string _upstream;
    private volatile bool _down;
    private volatile bool _downAfterAnswer;
    private int _refused;
    private int _next;

    /// <summary>Starts forwarding to <paramref name="upstream"/> (an http://127.0.0.1:port URL).</summary>
    public RpcProxy(string upstream)
    {
        _upstream = upstream;
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The proxy's URL (what clients are given).</summary>
    public string Url { get; }

    /// <summary>The node new connections go to; changing it resets the open ones (clients reconnect to the new node).</summary>
    public string Upstream
    {
        get => _upstream;
        set
        {
            _upstream = value;
            ResetAll();
        }
    }

    /// <summary>While true, the node looks dead: every connection is reset.</summary>
    public bool Down
    {
        get => _down;
        set
        {
            _down = value;
            if (value) ResetAll();
        }
    }

    /// <summary>When set, the proxy goes <see cref="Down"/> right after it has answered the next eth_chainId (a client connecting).</summary>
    public bool DownAfterChainId { get; set; }

    /// <summary>Connections refused while down.</summary>
    public int Refused => Volatile.Read(ref _refused);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            if (_down)
            {
                Interlocked.Increment(ref _refused);
                Reset(client);
                continue;
            }
            _ = Task.Run(() => ForwardAsync(client));
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        var upstream = new TcpClient();
        try
        {
            var target = new Uri(_upstream);
            await upstream.ConnectAsync(target.Host, target.Port, _stop.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            Reset(client);
            upstream.Dispose();
            return;
        }
        var id = Interlocked.Increment(ref _next);
        _open[id] = (client, upstream);
        var toNode = PumpAsync(client, upstream, request: true);
        var toClient = PumpAsync(upstream, client, request: false);
        await Task.WhenAny(toNode, toClient);
        _open.TryRemove(id, out _);
        Reset(client);
        Reset(upstream);
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, bool request)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            var source = from.GetStream();
            var sink = to.GetStream();
            while (true)
            {
                var n = await source.ReadAsync(buffer, _stop.Token);
                if (n == 0) return;
                if (request && DownAfterChainId && Encoding.ASCII.GetString(buffer, 0, n).Contains("\"eth_chainId\"", StringComparison.Ordinal))
                {
                    DownAfterChainId = false;
                    _downAfterAnswer = true;
                }
                await sink.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                if (!request && _downAfterAnswer)
                {
                    _downAfterAnswer = false;
                    await sink.FlushAsync(_stop.Token);
                    await Task.Delay(50); // let the answer reach the client before the lights go out
                    Down = true;
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // a side closed or was reset
        }
    }

    private void ResetAll()
    {
        foreach (var (id, pair) in _open)
        {
            if (_open.TryRemove(id, out _))
            {
                Reset(pair.Client);
                Reset(pair.Upstream);
            }
        }
    }

    private static void Reset(TcpClient c)
    {
        try
        {
            c.Client.LingerState = new LingerOption(true, 0); // close with RST: the peer sees "connection reset"
            c.Dispose();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // already gone
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        ResetAll();
        await _loop;
        _stop.Dispose();
    }
}
