using System.Numerics;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Signer;
using Newtonsoft.Json.Linq;
using Traceability.Chain.Accounts;
using Traceability.Chain.Rpc;

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
/// The fast path for bulk writes from one account: pre-encoded call data, explicit gas and gas price
/// (no estimate, no fee or nonce calls per transaction), local signing, nonces handed out in order
/// and several transactions in flight (the next is signed and sent while earlier ones wait for
/// their receipts). On an automining node (Hardhat, Anvil) a send returns once its block is mined
/// and a future nonce is refused, so sends stay in nonce order under one lock; receipts are
/// awaited outside it. Use one sender per account and several accounts to keep the node busy.
/// </summary>
public sealed class OrderedSender
{
    private readonly ChainRpc _rpc;
    private readonly BigInteger _chainId;
    private readonly BigInteger _gasPrice;
    private readonly SemaphoreSlim _order = new(1, 1);
    private readonly SemaphoreSlim _inFlight;
    private readonly byte[] _key;
    private BigInteger? _next;

    /// <summary>A sender for <paramref name="account"/>.</summary>
    /// <param name="rpc">The node.</param>
    /// <param name="account">The sending account.</param>
    /// <param name="chainId">The chain id signatures bind to.</param>
    /// <param name="gasPrice">The legacy gas price of every transaction (wei; zero on a free-gas network).</param>
    /// <param name="inFlight">Transactions sent and not yet settled, at most.</param>
    public OrderedSender(ChainRpc rpc, ChainAccount account, BigInteger chainId, BigInteger gasPrice, int inFlight = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFlight, 1);
        _rpc = rpc;
        Account = account;
        _chainId = chainId;
        _gasPrice = gasPrice;
        _inFlight = new SemaphoreSlim(inFlight, inFlight);
        _key = account.Key.GetPrivateKeyAsBytes();
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
    public async Task<MinedTransaction> SendAsync(string to, string data, ulong gas, CancellationToken ct = default)
    {
        await _inFlight.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            string hash;
            BigInteger nonce;
            await _order.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                _next ??= ChainRpc.Quantity(await _rpc.RequestAsync("eth_getTransactionCount", Account.Address, "pending").ConfigureAwait(false));
                nonce = _next.Value;
                var raw = new LegacyTransactionSigner().SignTransaction(_key, _chainId, to, BigInteger.Zero, nonce, _gasPrice, gas, data).EnsureHexPrefix();
                try
                {
                    hash = (string)(await _rpc.RequestAsync("eth_sendRawTransaction", raw).ConfigureAwait(false))!;
                }
                catch (ChainRpcException e)
                {
                    _next = null; // re-read the nonce before the next send
                    throw new PipelineTransactionException($"the node refused a transaction from {Account.Address} (nonce {nonce}): {e.NodeMessage}");
                }
                _next = nonce + 1;
            }
            finally
            {
                _order.Release();
            }
            return await ReceiptAsync(hash, nonce, ct).ConfigureAwait(false);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private async Task<MinedTransaction> ReceiptAsync(string hash, BigInteger nonce, CancellationToken ct)
    {
        var delay = 5;
        while (true)
        {
            if (await _rpc.RequestAsync("eth_getTransactionReceipt", hash).ConfigureAwait(false) is JObject r)
            {
                if (ChainRpc.Quantity(r["status"]!) != 1)
                {
                    throw new PipelineTransactionException($"transaction {hash} from {Account.Address} reverted (gas used {ChainRpc.Quantity(r["gasUsed"]!)})");
                }
                return new MinedTransaction(hash, nonce, (ulong)ChainRpc.Quantity(r["blockNumber"]!), (long)ChainRpc.Quantity(r["gasUsed"]!));
            }
            await Task.Delay(delay, ct).ConfigureAwait(false);
            delay = Math.Min(delay * 2, 200);
        }
    }
}
