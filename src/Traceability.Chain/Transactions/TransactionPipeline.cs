using System.Numerics;
using Traceability.Chain.Rpc;

namespace Traceability.Chain.Transactions;

/// <summary>What becomes of one transaction of a <see cref="TransactionPipeline"/>, told to whoever sent it.</summary>
/// <param name="Replaced">It was stuck and has been replaced (same nonce, higher fee): the old hash, the new one.</param>
/// <param name="Mined">It was mined with status 1 (and the configured confirmations).</param>
/// <param name="Reverted">It was mined with status 0 (its nonce is spent: the transactions behind it stand).</param>
public sealed record TransactionOutcome(Action<string, string> Replaced, Action<SentTransaction> Mined, Action<RevertException> Reverted);

/// <summary>
/// Several transactions of one sender in flight at once: each is signed and sent in nonce order (the
/// sending itself is never concurrent), and its receipt is awaited in the background while the next
/// ones are prepared and sent; at most <see cref="Depth"/> are awaited at a time (sending one more first
/// waits for the oldest). With a <see cref="GasBudget"/>, the gas in flight (the gas limits of the transactions
/// awaited) also stays within it: a block is packed by the gas limits of its transactions, so a budget of a block's
/// gas limit or two keeps the next block full while work waits, without a queue of blocks that would outlast the
/// receipt timeout. A transaction with no receipt in time is replaced with the same nonce; a revert is told to its
/// sender and spends its own nonce only, so the transactions behind it stand.
/// <para>
/// The nonce rule: the sender counts a nonce as taken only when the node accepts the transaction. A
/// refusal at sending (Hardhat reports a revert there) takes none, so the next transaction is signed
/// with the same nonce and no gap opens (were it spent after all, the node answers "nonce too low" and
/// the sender re-reads it); a revert mined with status 0 (Anvil, Besu) spends its own nonce only, so the
/// transactions behind it stand; a stuck transaction keeps its nonce through its replacement, and the
/// ones behind it wait in the pool until it is mined. Anything else (the node unreachable, no receipt
/// even for the replacement) faults the pipeline: the next <see cref="SubmitAsync"/> or
/// <see cref="SettleAsync"/> waits for every transaction still awaited and throws the first fault, so the
/// caller recovers from the node's own record (by hash) with nothing in flight.
/// </para>
/// </summary>
public sealed class TransactionPipeline
{
    private readonly List<(Task Task, BigInteger Gas)> _window = [];
    private readonly Lock _lock = new();
    private Task _lastSend = Task.CompletedTask;

    /// <summary>
    /// A pipeline of <paramref name="sender"/>'s transactions, at most <paramref name="depth"/> awaited at once and,
    /// with <paramref name="gasBudget"/>, at most that much gas (see <see cref="GasBudget"/>).
    /// </summary>
    public TransactionPipeline(TransactionSender sender, int depth, BigInteger? gasBudget = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        if (gasBudget is { } b) ArgumentOutOfRangeException.ThrowIfLessThan(b, BigInteger.One, nameof(gasBudget));
        Sender = sender;
        Depth = depth;
        GasBudget = gasBudget;
    }

    /// <summary>The sender whose transactions these are.</summary>
    public TransactionSender Sender { get; }

    /// <summary>Most transactions awaited at once.</summary>
    public int Depth { get; }

    /// <summary>
    /// Most gas awaited at once: the sum of the gas limits of the transactions in flight stays within it, except that one
    /// transaction is always let through when none is in flight (null: only <see cref="Depth"/> bounds the pipeline).
    /// </summary>
    public BigInteger? GasBudget { get; }

    /// <summary>Transactions sent and not yet settled (their outcome not yet told).</summary>
    public int InFlight
    {
        get
        {
            lock (_lock) return _window.Count(t => !t.Task.IsCompleted);
        }
    }

    /// <summary>The gas limits of the transactions sent and not yet settled, summed.</summary>
    public BigInteger GasInFlight
    {
        get
        {
            lock (_lock) return GasOf(_window.Where(t => !t.Task.IsCompleted));
        }
    }

    /// <summary>
    /// Sends a call of <paramref name="data"/> on <paramref name="to"/> with the next nonce, once fewer than
    /// <see cref="Depth"/> are awaited and its <paramref name="gas"/> fits the <see cref="GasBudget"/>, and returns its hash; <paramref name="sent"/> runs with the hash before
    /// its receipt is awaited (record it there), and <paramref name="outcome"/> later, from the background.
    /// A refusal at sending throws here, as <see cref="TransactionSender.SubmitAsync"/> does.
    /// </summary>
    public async Task<string> SubmitAsync(string? to, string data, BigInteger gas, Action<string> sent, TransactionOutcome outcome, CancellationToken ct = default)
    {
        await WaitForRoomAsync(gas).ConfigureAwait(false);
        var hash = await Sender.SubmitAsync(to, data, gas, ct).ConfigureAwait(false);
        sent(hash);
        var awaited = Task.Run(() => AwaitAsync(hash, to, data, outcome, ct), CancellationToken.None);
        lock (_lock) _window.Add((awaited, gas));
        return hash;
    }

    /// <summary>
    /// As <see cref="SubmitAsync"/>, but returns once the transaction holds its place in flight, before the node answers
    /// the send: the caller prepares the next one while the node takes this one (Hardhat's automine runs a transaction
    /// inside eth_sendRawTransaction and answers only then: a batch of 500 parcels is 25-40 ms of its time). The sends still
    /// go one at a time, each with the next nonce (the sender's lock). From the background: <paramref name="sent"/> with
    /// the hash once the node accepted it, <paramref name="refused"/> if the node refused it at sending (it took no nonce),
    /// then <paramref name="outcome"/>; any other failure of the send faults the pipeline, as a failed wait does.
    /// </summary>
    public async Task SendAsync(string? to, string data, BigInteger gas, Action<string> sent, Action<RevertException> refused,
        TransactionOutcome outcome, CancellationToken ct = default)
    {
        await WaitForRoomAsync(gas).ConfigureAwait(false);
        // in the order of these calls: each send begins once the one before it has ended (the thread pool runs queued
        // work in no fixed order, so the sender's lock alone would let a later batch take an earlier nonce)
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task before;
        lock (_lock) (before, _lastSend) = (_lastSend, done.Task);
        var sending = Task.Run(async () =>
        {
            string hash;
            try
            {
                await before.ConfigureAwait(false);
                hash = await Sender.SubmitAsync(to, data, gas, ct).ConfigureAwait(false);
            }
            catch (RevertException e)
            {
                refused(e);
                return;
            }
            finally
            {
                done.SetResult();
            }
            sent(hash);
            await AwaitAsync(hash, to, data, outcome, ct).ConfigureAwait(false);
        }, CancellationToken.None);
        lock (_lock) _window.Add((sending, gas));
    }

    /// <summary>
    /// Returns once fewer than <see cref="Depth"/> transactions are awaited and <paramref name="gas"/> more fits the
    /// <see cref="GasBudget"/> (or nothing is awaited), settling those done; throws a fault as <see cref="SettleAsync"/>
    /// does. Call it before preparing what is sent next.
    /// </summary>
    public async Task WaitForRoomAsync(BigInteger gas = default)
    {
        await SettleAsync().ConfigureAwait(false);
        while (true)
        {
            Task oldest;
            lock (_lock)
            {
                if (_window.Count < Depth && (_window.Count == 0 || GasBudget is not { } budget || GasOf(_window) + gas <= budget)) return;
                oldest = _window.Select(t => t.Task).FirstOrDefault(t => !t.IsCompleted) ?? _window[0].Task;
            }
            await Task.WhenAny(oldest).ConfigureAwait(false);
            await SettleAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Forgets the transactions already settled; if one faulted, waits for all the others to end, then throws
    /// its fault (the pipeline is then empty and usable again).
    /// </summary>
    public async Task SettleAsync()
    {
        Task? faulted;
        lock (_lock)
        {
            faulted = _window.Select(t => t.Task).FirstOrDefault(t => t.IsFaulted || t.IsCanceled);
            if (faulted is null)
            {
                _window.RemoveAll(t => t.Task.IsCompletedSuccessfully);
                return;
            }
        }
        await DrainAsync(rethrow: false).ConfigureAwait(false);
        await faulted.ConfigureAwait(false); // throws its exception
    }

    /// <summary>Waits until every transaction in flight is settled; with <paramref name="rethrow"/>, throws the first fault.</summary>
    public async Task DrainAsync(bool rethrow = true)
    {
        Task[] all;
        lock (_lock) all = [.. _window.Select(t => t.Task)];
        try
        {
            await Task.WhenAll(all).ConfigureAwait(false);
        }
        catch (Exception) when (!rethrow)
        {
            // the caller recovers by the node's record of each transaction
        }
        finally
        {
            lock (_lock) _window.RemoveAll(t => all.Contains(t.Task));
        }
    }

    private async Task AwaitAsync(string hash, string? to, string data, TransactionOutcome outcome, CancellationToken ct)
    {
        SentTransaction tx;
        string? replacement = null;
        try
        {
            try
            {
                tx = await Sender.WaitAsync(hash, to, data, ct, withLogs: false).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // stuck in the pool: replace it (same nonce, higher fee) and wait once more
                replacement = await Sender.ReplaceAsync(hash).ConfigureAwait(false);
                outcome.Replaced(hash, replacement);
                tx = await Sender.WaitAsync(replacement, to, data, ct, withLogs: false).ConfigureAwait(false);
            }
        }
        catch (RevertException e)
        {
            Forget(hash, replacement);
            outcome.Reverted(e);
            return;
        }
        Forget(hash, replacement);
        outcome.Mined(tx);
    }

    private static BigInteger GasOf(IEnumerable<(Task Task, BigInteger Gas)> transactions) =>
        transactions.Aggregate(BigInteger.Zero, (sum, t) => sum + t.Gas);

    /// <summary>A settled transaction's call data is not kept for a replacement that will never come (a long run would keep every batch's).</summary>
    private void Forget(string hash, string? replacement)
    {
        Sender.Forget(hash);
        if (replacement is not null) Sender.Forget(replacement);
    }
}
