namespace Traceability.Chain.Rpc;

/// <summary>
/// Sends the read batches of concurrent callers together: while a request is at the node, the batches that arrive wait,
/// and the next request carries all of them (up to <paramref name="maxCalls"/> calls; a batch larger than that goes alone).
/// A request of its own costs a node its HTTP and JSON framing (about 1.7 ms a request on a small Hardhat chain), so many
/// verifications at once need far fewer round trips (at --scale 0.25 of the replay: 0.14 requests a certificate instead of
/// 1.45; on Hardhat that gained little, as its time goes on the eth_calls themselves: see RegistryBatch's multicall). Each caller
/// gets the answer to its own calls, or the exception the whole request met; a caller that gives up stops waiting, and its
/// calls are sent only if they were taken before it did.
/// </summary>
internal sealed class ReadCoalescer(Func<IReadOnlyList<RpcCall>, Task<RpcBatchAnswer>> send, int maxCalls, int maxRequests)
{
    private readonly Lock _gate = new();
    private readonly Queue<Waiting> _queue = new();
    private int _requests;

    public Task<RpcBatchAnswer> ReadAsync(IReadOnlyList<RpcCall> calls, CancellationToken ct)
    {
        var waiting = new Waiting(calls, ct);
        lock (_gate)
        {
            _queue.Enqueue(waiting);
            if (_requests < maxRequests)
            {
                _requests++;
                _ = Task.Run(PumpAsync, CancellationToken.None);
            }
        }
        if (ct.CanBeCanceled)
        {
            // the caller's answer itself is cancelled (not only its wait): an answer that comes after is then disposed by the pump
            var registration = ct.Register(static w => ((Waiting)w!).Answer.TrySetCanceled(((Waiting)w!).Cancel), waiting);
            _ = waiting.Answer.Task.ContinueWith(static (_, r) => ((CancellationTokenRegistration)r!).Dispose(), registration,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return waiting.Answer.Task;
    }

    /// <summary>Sends what waits, a request at a time, until nothing does.</summary>
    private async Task PumpAsync()
    {
        while (true)
        {
            List<Waiting> taken = [];
            var calls = new List<RpcCall>();
            lock (_gate)
            {
                while (_queue.TryPeek(out var next) && (taken.Count == 0 || calls.Count + next.Calls.Count <= maxCalls))
                {
                    _queue.Dequeue();
                    if (next.Cancel.IsCancellationRequested)
                    {
                        next.Answer.TrySetCanceled(next.Cancel);
                        continue;
                    }
                    taken.Add(next);
                    calls.AddRange(next.Calls);
                }
                if (taken.Count == 0)
                {
                    _requests--;
                    return;
                }
            }
            try
            {
                var answer = await send(calls).ConfigureAwait(false);
                var parts = answer.Split([.. taken.Select(w => w.Calls.Count)]);
                for (var i = 0; i < taken.Count; i++)
                {
                    // a caller that gave up (its answer cancelled) never disposes its part: it is disposed here
                    if (!taken[i].Answer.TrySetResult(parts[i])) parts[i].Dispose();
                }
            }
            catch (Exception e)
            {
                foreach (var w in taken) w.Answer.TrySetException(e);
            }
        }
    }

    private sealed record Waiting(IReadOnlyList<RpcCall> Calls, CancellationToken Cancel)
    {
        public TaskCompletionSource<RpcBatchAnswer> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
