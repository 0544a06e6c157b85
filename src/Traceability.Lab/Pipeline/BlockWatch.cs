using Traceability.Chain.Rpc;

namespace Traceability.Lab.Pipeline;

/// <summary>
/// Tells the senders of one node when a new block is mined: one eth_blockNumber poll every
/// <c>interval</c> while anybody waits, instead of one receipt poll per transaction in flight (an
/// interval-mined node with hundreds of transactions waiting would otherwise answer thousands of
/// receipt requests a second and spend its CPU on them rather than on blocks).
/// </summary>
public sealed class BlockWatch : IDisposable
{
    private readonly ChainRpc _rpc;
    private readonly TimeSpan _interval;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _latest = -1;
    private int _waiters;
    private bool _polling;

    /// <summary>A watch over <paramref name="rpc"/>'s node.</summary>
    /// <param name="rpc">The node.</param>
    /// <param name="interval">Time between two polls (default 20 ms).</param>
    public BlockWatch(ChainRpc rpc, TimeSpan? interval = null)
    {
        _rpc = rpc;
        _interval = interval ?? TimeSpan.FromMilliseconds(20);
    }

    /// <summary>The newest block number seen, or -1 before the first poll.</summary>
    public long Latest => Interlocked.Read(ref _latest);

    /// <summary>
    /// Completes once a block after <paramref name="seen"/> is known, or once a poll failed (the node's error is then
    /// the caller's to meet on its next request: a watch never hides a dead node behind a wait that never ends). Disposing
    /// the watch wakes its waiters; a wait begun after it throws <see cref="ObjectDisposedException"/> (no poll would end it).
    /// </summary>
    public async Task AfterAsync(long seen, CancellationToken ct = default)
    {
        Task wake;
        lock (_gate)
        {
            if (_latest > seen) return;
            ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
            _waiters++;
            wake = _next.Task;
            if (!_polling)
            {
                _polling = true;
                _ = Task.Run(PollAsync, CancellationToken.None);
            }
        }
        try
        {
            await wake.WaitAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate) _waiters--;
        }
    }

    private async Task PollAsync()
    {
        while (true)
        {
            lock (_gate)
            {
                if (_waiters == 0 || _stop.IsCancellationRequested)
                {
                    _polling = false;
                    return;
                }
            }
            long? number;
            try
            {
                number = (long)await _rpc.BlockNumberAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                number = null; // whatever the failure, the waiters are woken: a loop that died here would leave them waiting for ever
            }
            TaskCompletionSource? woken = null;
            lock (_gate)
            {
                if (number is null || number > _latest)
                {
                    if (number is { } n) _latest = n;
                    woken = _next;
                    _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
            woken?.TrySetResult();
            try
            {
                await Task.Delay(_interval, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // disposed: the loop ends at its next turn
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        TaskCompletionSource woken;
        lock (_gate) woken = _next;
        woken.TrySetResult(); // the token is left to the collector: a poll may still be between two turns
    }
}
