using System.Collections.Concurrent;
using System.Diagnostics;
using System.Numerics;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Signer;
using Newtonsoft.Json.Linq;
using Traceability.Chain.Accounts;
using Traceability.Chain.Rpc;

namespace Traceability.Chain.Transactions;

/// <summary>
/// Sends transactions from one account with explicit nonce, gas and fees (no implicit node
/// calls): estimates gas (which surfaces a revert before anything is sent), signs locally
/// (legacy or EIP-1559), keeps its own nonce (re-read after "nonce too low"), waits for the
/// receipt and the configured confirmations, and turns a mined revert (Anvil, Besu) into the
/// <see cref="RevertException"/> (raw revert data, which the registry layer decodes).
/// </summary>
public sealed class TransactionSender
{
    private readonly ChainRpc _rpc;
    private readonly TransactionOptions _options;
    private readonly SemaphoreSlim _nonceLock = new(1, 1);
    private BigInteger? _nextNonce;
    private Eip1559Signer? _signer; // made on first use: a sender with a remote signer holds no key

    /// <summary>A sender for <paramref name="account"/> on chain <paramref name="chainId"/>.</summary>
    public TransactionSender(ChainRpc rpc, ChainAccount account, BigInteger chainId, TransactionOptions? options = null)
    {
        _rpc = rpc;
        Account = account;
        ChainId = chainId;
        _options = options ?? new TransactionOptions();
    }

    /// <summary>The sending account.</summary>
    public ChainAccount Account { get; }

    /// <summary>The chain id signatures are bound to.</summary>
    public BigInteger ChainId { get; }

    /// <summary>Estimates, signs, sends and awaits a call of <paramref name="data"/> on <paramref name="to"/> (null: deploy).</summary>
    public async Task<SentTransaction> SendAsync(string? to, string data, CancellationToken ct = default)
    {
        var gas = await EstimateGasAsync(to, data).ConfigureAwait(false);
        var hash = await SubmitAsync(to, data, gas, ct).ConfigureAwait(false);
        return await WaitAsync(hash, to, data, ct).ConfigureAwait(false);
    }

    /// <summary>eth_estimateGas × margin, capped; a revert throws the decoded error.</summary>
    public async Task<BigInteger> EstimateGasAsync(string? to, string data)
    {
        var call = new JObject { ["from"] = Account.Address, ["data"] = data };
        if (to is not null) call["to"] = to;
        var estimate = ChainRpc.Quantity(await _rpc.RequestAsync("eth_estimateGas", call).ConfigureAwait(false));
        var withMargin = new BigInteger((double)estimate * _options.GasMargin);
        return BigInteger.Min(withMargin, _options.MaxGas);
    }

    /// <summary>Signs and sends with the next nonce; returns the transaction hash without waiting.</summary>
    public async Task<string> SubmitAsync(string? to, string data, BigInteger gas, CancellationToken ct = default)
    {
        var fees = await ResolveFeesAsync().ConfigureAwait(false);
        await _nonceLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                _nextNonce ??= await PendingNonceAsync().ConfigureAwait(false);
                var raw = await SignAsync(to, data, gas, _nextNonce.Value, fees, ct).ConfigureAwait(false);
                try
                {
                    var hash = (string)(await _rpc.RequestAsync("eth_sendRawTransaction", raw).ConfigureAwait(false))!;
                    _submissions[hash] = new Submission(to, data, gas, _nextNonce.Value, fees, raw);
                    _nextNonce += 1;
                    return hash;
                }
                catch (ChainRpcException e) when (attempt == 0 && IsNonceProblem(e.NodeMessage))
                {
                    _nextNonce = null; // another sender used the account, or the node restarted: re-read
                }
            }
        }
        finally
        {
            _nonceLock.Release();
        }
    }

    private sealed record Submission(string? To, string Data, BigInteger Gas, BigInteger Nonce, Fees Fees, string Raw);

    private readonly ConcurrentDictionary<string, Submission> _submissions = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Replaces a transaction that is stuck in the node's pool: the same call, the same nonce, fees
    /// raised by an eighth (the usual replacement rule). Returns the new hash, or the old one if it
    /// was mined meanwhile (the node then calls the nonce too low). Zero-fee transactions cannot be
    /// outbid; they are sent again as they were: the same hash, whether the pool still holds it or had lost it.
    /// </summary>
    public async Task<string> ReplaceAsync(string hash)
    {
        if (!_submissions.TryGetValue(hash, out var s)) throw new InvalidOperationException($"{hash} was not sent by this sender");
        static BigInteger Bump(BigInteger fee) => fee == 0 ? 0 : fee + fee / 8 + 1;
        var fees = s.Fees with { GasPrice = Bump(s.Fees.GasPrice), MaxFee = Bump(s.Fees.MaxFee), MaxPriority = Bump(s.Fees.MaxPriority) };
        var raw = await SignAsync(s.To, s.Data, s.Gas, s.Nonce, fees).ConfigureAwait(false);
        try
        {
            var replacement = (string)(await _rpc.RequestAsync("eth_sendRawTransaction", raw).ConfigureAwait(false))!;
            _submissions[replacement] = s with { Fees = fees, Raw = raw };
            return replacement;
        }
        catch (ChainRpcException e) when (IsNonceProblem(e.NodeMessage) || IsInPool(e.NodeMessage))
        {
            return hash; // the original was mined (or replaced) meanwhile, or (zero fees: the same signed transaction) is still in the pool
        }
    }

    /// <summary>Forgets what was kept to replace <paramref name="hash"/> (its call data): once it is settled, nothing will replace it.</summary>
    public void Forget(string hash) => _submissions.TryRemove(hash, out _);

    /// <summary>Forgets the local nonce so the next send reads it from the node.</summary>
    public void ResetNonce() => _nextNonce = null;

    /// <summary>
    /// Where the transaction <paramref name="hash"/> stands now, without waiting: mined (with its status,
    /// block and gas), still in the node's pool, or unknown to the node (never sent, or dropped).
    /// Confirmations are not awaited: a mined transaction counts as mined.
    /// </summary>
    public async Task<TransactionLookup> LookupAsync(string hash)
    {
        if (await _rpc.RequestAsync("eth_getTransactionReceipt", hash).ConfigureAwait(false) is JObject receipt)
        {
            return new TransactionLookup(hash, TransactionState.Mined, ChainRpc.Quantity(receipt["status"]!) == 1,
                (ulong)ChainRpc.Quantity(receipt["blockNumber"]!), ChainRpc.Quantity(receipt["gasUsed"]!))
            { LogCount = (receipt["logs"] as JArray)?.Count ?? 0 };
        }
        return await _rpc.RequestAsync("eth_getTransactionByHash", hash).ConfigureAwait(false) is JObject
            ? new TransactionLookup(hash, TransactionState.Pending, false, null, null)
            : new TransactionLookup(hash, TransactionState.Unknown, false, null, null);
    }

    /// <summary>
    /// Waits for the receipt and confirmations; a mined revert throws the decoded error. Without
    /// <paramref name="withLogs"/> the receipt is read without its logs (<see cref="ChainRpc.ReceiptSummaryAsync"/>)
    /// and the result's <see cref="SentTransaction.Logs"/> is empty: what a batch sender needs, at a fraction of the cost.
    /// </summary>
    public async Task<SentTransaction> WaitAsync(string hash, string? to = null, string? data = null, CancellationToken ct = default, bool withLogs = true)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.ReceiptTimeout);
        SentTransaction mined;
        int status;
        var rebroadcast = new Rebroadcast();
        try
        {
            while (true)
            {
                if (rebroadcast.Polls++ > 0) await RebroadcastIfLateAsync(hash, rebroadcast).ConfigureAwait(false);
                if (withLogs)
                {
                    if (await _rpc.RequestAsync("eth_getTransactionReceipt", hash).ConfigureAwait(false) is JObject r)
                    {
                        status = (int)ChainRpc.Quantity(r["status"]!);
                        mined = new SentTransaction(hash, (ulong)ChainRpc.Quantity(r["blockNumber"]!), (string)r["blockHash"]!,
                            ChainRpc.Quantity(r["gasUsed"]!), (string?)r["contractAddress"], [.. ((JArray?)r["logs"] ?? []).OfType<JObject>()]);
                        break;
                    }
                }
                else if (await _rpc.ReceiptSummaryAsync(hash, timeout.Token).ConfigureAwait(false) is { } summary)
                {
                    status = summary.Status;
                    mined = new SentTransaction(hash, (ulong)summary.BlockNumber, summary.BlockHash, summary.GasUsed, summary.ContractAddress, []) { LogCount = summary.LogCount };
                    break;
                }
                await Task.Delay(_options.PollInterval, timeout.Token).ConfigureAwait(false);
            }
            while (_options.Confirmations > 1 && await _rpc.BlockNumberAsync().ConfigureAwait(false) < mined.BlockNumber + (ulong)_options.Confirmations - 1)
            {
                await Task.Delay(_options.PollInterval, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"no receipt for {hash} within {_options.ReceiptTimeout.TotalSeconds:0} s");
        }
        if (status != 1) throw await MinedRevertAsync(hash, mined.BlockNumber, to, data).ConfigureAwait(false);
        return mined;
    }

    /// <summary>How often, at most, a wait reads the block number to tell whether its transaction is late.</summary>
    private static readonly TimeSpan BlockCheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>One wait's record of the block it last (re)broadcast its transaction at.</summary>
    private sealed class Rebroadcast
    {
        public int Polls;
        public BigInteger? Block;
        public long CheckedAt;
    }

    /// <summary>
    /// Sends <paramref name="hash"/>'s signed transaction again, as it was, once <see cref="TransactionOptions.RebroadcastBlocks"/>
    /// blocks have been sealed without its receipt (the block number is read at most every <see cref="BlockCheckInterval"/>).
    /// A node may drop a pending transaction: Anvil, sealing a block that a predecessor of the same sender did not fit, drops a
    /// later, smaller transaction of that sender as "nonce too high" and never promotes it once the gap fills. The same raw
    /// transaction keeps its hash and nonce: a node that still holds it or has mined it refuses it ("already imported",
    /// "known transaction", "nonce too low"), which changes nothing; the receipt (or the receipt timeout) decides.
    /// </summary>
    private async Task RebroadcastIfLateAsync(string hash, Rebroadcast state)
    {
        if (_options.RebroadcastBlocks <= 0 || !_submissions.TryGetValue(hash, out var s)) return;
        if (state.CheckedAt != 0 && Stopwatch.GetElapsedTime(state.CheckedAt) < BlockCheckInterval) return;
        state.CheckedAt = Stopwatch.GetTimestamp();
        var block = await _rpc.BlockNumberAsync().ConfigureAwait(false);
        if (state.Block is not { } since)
        {
            state.Block = block;
            return;
        }
        if (block < since + _options.RebroadcastBlocks) return;
        state.Block = block;
        try
        {
            await _rpc.RequestAsync("eth_sendRawTransaction", s.Raw).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ChainRpcException or RevertException)
        {
            // the node holds it already, or its nonce is spent (mined, or replaced): the receipt tells which. A node that
            // answers the copy "reverted" tells nothing of the transaction itself, which may still be mined with status 1:
            // only its receipt says it reverted
        }
    }

    private async Task<Exception> MinedRevertAsync(string hash, ulong block, string? to, string? data)
    {
        if (to is not null && data is not null)
        {
            var before = ChainRpc.Hex(block - 1);
            try
            {
                await _rpc.RequestAsync("eth_call", new JObject { ["from"] = Account.Address, ["to"] = to, ["data"] = data }, before).ConfigureAwait(false);
            }
            catch (RevertException e)
            {
                return new RevertException(e.RevertData, e.Message, hash);
            }
        }
        return new RevertException(null, $"transaction {hash} reverted", hash);
    }

    private async Task<BigInteger> PendingNonceAsync() =>
        ChainRpc.Quantity(await _rpc.RequestAsync("eth_getTransactionCount", Account.Address, "pending").ConfigureAwait(false));

    private sealed record Fees(bool Legacy, BigInteger GasPrice, BigInteger MaxFee, BigInteger MaxPriority);

    private (Fees Fees, long At)? _lastFees;

    private async Task<Fees> ResolveFeesAsync()
    {
        if (_options.FeeReuse > TimeSpan.Zero && _lastFees is { } last && Stopwatch.GetElapsedTime(last.At) < _options.FeeReuse) return last.Fees;
        var fees = await AskFeesAsync().ConfigureAwait(false);
        _lastFees = (fees, Stopwatch.GetTimestamp());
        return fees;
    }

    private async Task<Fees> AskFeesAsync()
    {
        switch (_options.Fees)
        {
            case FeeMode.Zero:
                return new Fees(true, 0, 0, 0);
            case FeeMode.Legacy:
                return new Fees(true, _options.GasPrice ?? ChainRpc.Quantity(await _rpc.RequestAsync("eth_gasPrice").ConfigureAwait(false)), 0, 0);
        }
        var latest = (JObject)(await _rpc.RequestAsync("eth_getBlockByNumber", "latest", false).ConfigureAwait(false))!;
        if (latest["baseFeePerGas"] is not { Type: JTokenType.String } baseFeeToken)
        {
            if (_options.Fees == FeeMode.Eip1559) throw new InvalidOperationException("the chain has no base fee: EIP-1559 fees are not available, use Legacy");
            return new Fees(true, _options.GasPrice ?? ChainRpc.Quantity(await _rpc.RequestAsync("eth_gasPrice").ConfigureAwait(false)), 0, 0);
        }
        var baseFee = ChainRpc.Quantity(baseFeeToken);
        if (baseFee == 0 && _options.Fees == FeeMode.Auto) return new Fees(true, 0, 0, 0);
        var priority = _options.MaxPriorityFee ?? await PriorityFeeAsync().ConfigureAwait(false);
        return new Fees(false, 0, 2 * baseFee + priority, priority);
    }

    private async Task<BigInteger> PriorityFeeAsync()
    {
        try
        {
            return ChainRpc.Quantity(await _rpc.RequestAsync("eth_maxPriorityFeePerGas").ConfigureAwait(false));
        }
        catch (ChainRpcException)
        {
            return 1_000_000_000; // 1 gwei where the node does not offer a suggestion
        }
    }

    /// <summary>The signed raw transaction: signed here, or by the account's remote signer (which checks what it returns).</summary>
    private async Task<string> SignAsync(string? to, string data, BigInteger gas, BigInteger nonce, Fees fees, CancellationToken ct = default)
    {
        if (Account.Signer is { } remote)
        {
            return await remote.SignTransactionAsync(Account.Address, ChainId, to, data, gas, nonce, (fees.GasPrice, fees.MaxFee, fees.MaxPriority, fees.Legacy), ct).ConfigureAwait(false);
        }
        string raw;
        if (fees.Legacy)
        {
            raw = new LegacyTransactionSigner().SignTransaction(Account.Key.GetPrivateKeyAsBytes(), ChainId, to ?? "", BigInteger.Zero,
                nonce, fees.GasPrice, gas, data);
        }
        else
        {
            _signer ??= new Eip1559Signer(Account.Key.GetPrivateKeyAsBytes());
            raw = _signer.Sign(ChainId, nonce, fees.MaxPriority, fees.MaxFee, gas, to, data);
        }
        return raw.EnsureHexPrefix();
    }

    // the very transaction is in the node's pool already: Anvil "transaction already imported", Besu "Known transaction" (Geth's "already known" is a nonce problem above)
    private static bool IsInPool(string message) =>
        message.Contains("already imported", StringComparison.OrdinalIgnoreCase)
        || message.Contains("known transaction", StringComparison.OrdinalIgnoreCase);

    private static bool IsNonceProblem(string message) =>
        message.Contains("nonce too low", StringComparison.OrdinalIgnoreCase)
        || message.Contains("nonce too high", StringComparison.OrdinalIgnoreCase)
        || message.Contains("already known", StringComparison.OrdinalIgnoreCase);
}
