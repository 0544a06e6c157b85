using System.Numerics;
using Traceability.Chain.Accounts;
using Traceability.Chain.Rpc;
using Traceability.Chain.Transactions;

namespace Traceability.Lab.Pipeline;

/// <summary>A mined transaction as the pipeline saw it.</summary>
/// <param name="Hash">Its hash.</param>
/// <param name="Nonce">The nonce it used.</param>
/// <param name="BlockNumber">The block it was mined in.</param>
/// <param name="GasUsed">Gas it used.</param>
public sealed record MinedTransaction(string Hash, BigInteger Nonce, ulong BlockNumber, long GasUsed);

/// <summary>A transaction of the pipeline that was mined but reverted (status 0), or refused by the node.</summary>
/// <param name="message">What failed, with the transaction hash when there is one.</param>
public sealed class PipelineTransactionException(string message) : Exception(message);

/// <summary>
/// The fast path for bulk writes from one account: pre-encoded call data, explicit gas and fees
/// (no estimate, no fee or nonce calls per transaction), local signing (<see cref="Eip1559Signer"/>),
/// nonces handed out in order and several transactions in flight (the next is signed and sent while
/// earlier ones wait for their receipts). On an automining node (Hardhat, Anvil) a send returns once
/// its block is mined and a future nonce is refused, so sends stay in nonce order under one lock;
/// receipts are awaited outside it, read without their logs (<see cref="ChainRpc.ReceiptSummaryAsync"/>),
/// and, given a <see cref="BlockWatch"/>, asked for once a new block rather than polled per transaction
/// (hundreds in flight on an interval-mined node would otherwise poll it hundreds of times a second).
/// Use one sender per account and several accounts to keep the node busy.
/// </summary>
public sealed class OrderedSender : IDisposable
{
    private readonly ChainRpc _rpc;
    private readonly BigInteger _chainId;
    private readonly BigInteger _maxFee;
    private readonly BigInteger _tip;
    private readonly BlockWatch? _blocks;
    private readonly SemaphoreSlim _order = new(1, 1);
    private readonly SemaphoreSlim _inFlight;
    private readonly Eip1559Signer _signer;
    private BigInteger? _next;

    /// <summary>A sender for <paramref name="account"/>.</summary>
    /// <param name="rpc">The node.</param>
    /// <param name="account">The sending account.</param>
    /// <param name="chainId">The chain id signatures bind to.</param>
    /// <param name="maxFee">The most a transaction pays a unit of gas (maxFeePerGas, wei; zero on a free-gas network): leave room for the
    /// base fee to rise while blocks are full (12.5 % a full block).</param>
    /// <param name="tip">What a unit of gas pays the block's producer (maxPriorityFeePerGas, wei), at most <paramref name="maxFee"/>.</param>
    /// <param name="inFlight">Transactions sent and not yet settled, at most.</param>
    /// <param name="blocks">Tells when a new block is mined (shared by the senders of one node), or null to poll each receipt with a backoff.</param>
    public OrderedSender(ChainRpc rpc, ChainAccount account, BigInteger chainId, BigInteger maxFee, BigInteger tip, int inFlight = 4, BlockWatch? blocks = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFlight, 1);
        if (tip < 0 || tip > maxFee) throw new ArgumentOutOfRangeException(nameof(tip), "the tip is between zero and the max fee");
        _rpc = rpc;
        Account = account;
        _chainId = chainId;
        _maxFee = maxFee;
        _tip = tip;
        _blocks = blocks;
        _inFlight = new SemaphoreSlim(inFlight, inFlight);
        _signer = new Eip1559Signer(account.Key.GetPrivateKeyAsBytes());
    }

    /// <summary>The sending account.</summary>
    public ChainAccount Account { get; }

    /// <summary>The nonce the next transaction will use (null until the first send reads it from the node).</summary>
    public BigInteger? NextNonce => _next;

    /// <summary>
    /// Signs <paramref name="data"/> to <paramref name="to"/> with the next nonce and <paramref name="gas"/>, sends it,
    /// and completes when it is mined; a reverted or refused transaction throws <see cref="PipelineTransactionException"/>.
    /// Calls made one after another go out in that nonce order.
    /// </summary>
    public async Task<MinedTransaction> SendAsync(string to, byte[] data, ulong gas, CancellationToken ct = default)
    {
        await _inFlight.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            string hash, raw;
            BigInteger nonce;
            await _order.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                _next ??= ChainRpc.Quantity(await _rpc.RequestAsync("eth_getTransactionCount", Account.Address, "pending").ConfigureAwait(false));
                nonce = _next.Value;
                raw = _signer.Sign(_chainId, nonce, _tip, _maxFee, gas, to, data);
                try
                {
                    hash = (string)(await _rpc.RequestAsync("eth_sendRawTransaction", raw).ConfigureAwait(false))!;
                }
                catch (Exception e) when (e is ChainRpcException or RevertException or ChainUnavailableException)
                {
                    // re-read the nonce before the next send: a node may have taken the transaction and then answered a revert
                    // (Hardhat mines a reverting transaction and answers its error), or its answer may have been lost on the way
                    _next = null;
                    if (e is ChainUnavailableException) throw;
                    throw new PipelineTransactionException($"the node refused a transaction from {Account.Address} (nonce {nonce}): {(e is ChainRpcException r ? r.NodeMessage : e.Message)}");
                }
                _next = nonce + 1;
            }
            finally
            {
                _order.Release();
            }
            return await ReceiptAsync(hash, raw, nonce, ct).ConfigureAwait(false);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    /// <summary>
    /// Blocks mined without a transaction's receipt after which it is sent again, the same signed bytes (a node that
    /// still holds it answers "already known", which is ignored): a node can drop a pooled transaction, and a sender
    /// that only waited would wait for ever. The anchoring service's sender does the same (RebroadcastBlocks).
    /// </summary>
    public const int RebroadcastBlocks = 3;

    private async Task<MinedTransaction> ReceiptAsync(string hash, string raw, BigInteger nonce, CancellationToken ct)
    {
        var delay = 5;
        var since = _blocks?.Latest ?? -1;
        while (true)
        {
            var seen = _blocks?.Latest;
            if (await _rpc.ReceiptSummaryAsync(hash, ct).ConfigureAwait(false) is { } r)
            {
                if (r.Status != 1) throw new PipelineTransactionException($"transaction {hash} from {Account.Address} reverted (gas used {r.GasUsed})");
                return new MinedTransaction(hash, nonce, (ulong)r.BlockNumber, (long)r.GasUsed);
            }
            if (_blocks is not null)
            {
                if (since < 0) since = seen!.Value;
                else if (seen - since >= RebroadcastBlocks)
                {
                    since = seen!.Value;
                    try
                    {
                        await _rpc.RequestAsync("eth_sendRawTransaction", raw).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is ChainRpcException or RevertException)
                    {
                        // "already known", "nonce too low" (it was mined meanwhile): the receipt decides
                    }
                }
                await _blocks.AfterAsync(seen!.Value, ct).ConfigureAwait(false);
                continue;
            }
            await Task.Delay(delay, ct).ConfigureAwait(false);
            delay = Math.Min(delay * 2, 200);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _signer.Dispose();
        _order.Dispose();
        _inFlight.Dispose();
    }
}
