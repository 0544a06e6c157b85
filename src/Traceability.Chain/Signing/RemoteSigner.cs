using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nethereum.Signer;
using Traceability.Chain.Accounts;
using Traceability.Core.Primitives;

namespace Traceability.Chain.Signing;

/// <summary>
/// A signer that holds the key elsewhere (Clef, Web3Signer, a wallet bridge or an HSM front) and
/// signs over JSON-RPC: <c>eth_accounts</c> names its account, <c>eth_signTypedData_v4</c> (or, where
/// that method is unknown, <c>eth_signTypedData</c>, as Web3Signer names it) signs a certificate's typed data, <c>eth_signTransaction</c> a transaction. No key ever enters this
/// process. Every answer is checked: a typed-data signature must be in a form the registry accepts
/// (<see cref="SignatureForm"/>) and recover the account; a signed transaction must be the
/// account's and the one asked for.
/// </summary>
public sealed class RemoteSigner : IDisposable
{
    /// <summary>How long a request may wait by default: long enough for a person to confirm on a device.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    /// <summary>JSON-RPC's "method not found".</summary>
    private const int MethodNotFound = -32601;

    /// <summary>The largest answer read from a signer, in bytes: a signature or a signed transaction is far smaller.</summary>
    public const int MaxAnswerBytes = 1024 * 1024;

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private readonly HttpClient _http;
    private long _nextId;

    /// <summary>A signer at <paramref name="url"/> (http or https), each request waiting at most <paramref name="timeout"/>.</summary>
    public RemoteSigner(string url, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        Url = url;
        Timeout = timeout ?? DefaultTimeout;
        // a signer's answer is read within a bound, and a redirect (to another host) is not followed: the request goes where it was configured to
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = MaxAnswerBytes };
    }

    /// <summary>The signer's endpoint.</summary>
    public string Url { get; }

    /// <summary>How long one request may wait for the signer.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>
    /// The signer's account: <paramref name="address"/> when given (the signer must offer it), else the
    /// one account it offers (<c>eth_accounts</c>).
    /// </summary>
    /// <exception cref="RemoteSignerException">The signer is unreachable, offers no such account, or several and none was named.</exception>
    public async Task<ChainAccount> AccountAsync(string? address = null, CancellationToken ct = default)
    {
        var result = await RequestAsync("eth_accounts", new JsonArray(), ct).ConfigureAwait(false);
        // only addresses are offered: anything else in the answer (a number, an object, a name) is no account
        var offered = result is JsonArray a
            ? a.Select(x => x is JsonValue v && v.TryGetValue<string>(out var t) ? t : "").Where(IsAddress).ToList()
            : [];
        if (address is not null)
        {
            var match = offered.FirstOrDefault(o => string.Equals(o, address, StringComparison.OrdinalIgnoreCase))
                ?? throw new RemoteSignerException(Url, $"offers no account {address} (it offers {Describe(offered)})");
            return ChainAccount.Remote(this, match);
        }
        return offered.Count switch
        {
            1 => ChainAccount.Remote(this, offered[0]),
            0 => throw new RemoteSignerException(Url, "offers no account (eth_accounts is empty): unlock or add one in the signer"),
            _ => throw new RemoteSignerException(Url, $"offers {offered.Count} accounts ({Describe(offered)}): name the one to use"),
        };
    }

    private static bool IsAddress(string text) =>
        text.Length == 42 && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && !text.AsSpan(2).ContainsAnyExcept(HexDigits);

    private static string Describe(List<string> offered) => offered.Count == 0 ? "none" : string.Join(", ", offered);

    /// <summary>
    /// <paramref name="account"/>'s signature of the typed data <paramref name="typedDataJson"/> (eth_signTypedData_v4), whose
    /// digest is <paramref name="digest"/>: returned in the 65-byte form with v 27 or 28, after checking it recovers the account.
    /// </summary>
    /// <exception cref="RemoteSignerException">The signer failed, refused, or returned another account's or a malformed signature.</exception>
    public async Task<string> SignTypedDataAsync(string account, string typedDataJson, Hash32 digest, CancellationToken ct = default)
    {
        JsonNode? result;
        try
        {
            result = await RequestAsync("eth_signTypedData_v4", new JsonArray(account, typedDataJson), ct).ConfigureAwait(false);
        }
        catch (RemoteSignerException e) when (e.RpcCode == MethodNotFound)
        {
            // Web3Signer names the same method eth_signTypedData
            result = await RequestAsync("eth_signTypedData", new JsonArray(account, typedDataJson), ct).ConfigureAwait(false);
        }
        var text = result is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (SignatureForm.Normalize(text) is not { } normal)
        {
            throw new RemoteSignerException(Url, $"answered eth_signTypedData_v4 with {Shown(result)}, not a signature in a form the registry accepts ({SignatureForm.Rule})");
        }
        var signer = CertificateSigner.Recover(normal, digest);
        if (!string.Equals(signer, account, StringComparison.OrdinalIgnoreCase))
        {
            throw new RemoteSignerException(Url, $"returned a signature by {signer ?? "nobody"}, not by {account}, of the typed data: nothing was signed");
        }
        return normal;
    }

    /// <summary>
    /// <paramref name="account"/>'s signed transaction (eth_signTransaction), raw and 0x-prefixed, after checking it is
    /// the account's and carries the nonce and call data asked for.
    /// </summary>
    /// <exception cref="RemoteSignerException">The signer failed, refused, or returned another transaction.</exception>
    public async Task<string> SignTransactionAsync(string account, BigInteger chainId, string? to, string data, BigInteger gas, BigInteger nonce,
        (BigInteger GasPrice, BigInteger MaxFee, BigInteger MaxPriority, bool Legacy) fees, CancellationToken ct = default)
    {
        var tx = new JsonObject
        {
            ["from"] = account,
            ["data"] = data,
            ["input"] = data,
            ["gas"] = Hex(gas),
            ["nonce"] = Hex(nonce),
            ["value"] = "0x0",
            ["chainId"] = Hex(chainId),
        };
        if (to is not null) tx["to"] = to;
        if (fees.Legacy)
        {
            tx["type"] = "0x0";
            tx["gasPrice"] = Hex(fees.GasPrice);
        }
        else
        {
            tx["type"] = "0x2";
            tx["maxFeePerGas"] = Hex(fees.MaxFee);
            tx["maxPriorityFeePerGas"] = Hex(fees.MaxPriority);
        }
        var result = await RequestAsync("eth_signTransaction", new JsonArray(tx), ct).ConfigureAwait(false);
        // Clef answers { raw, tx }; Web3Signer and wallet bridges the raw transaction itself
        var raw = result switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonObject o when o["raw"] is JsonValue r && r.TryGetValue<string>(out var s) => s,
            _ => null,
        };
        if (raw is null || !raw.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            throw new RemoteSignerException(Url, $"answered eth_signTransaction with {Shown(result)}, not a signed transaction");
        }
        CheckTransaction(raw, account, new Asked(chainId, to, data, gas, nonce, fees.Legacy ? fees.GasPrice : fees.MaxFee, fees.Legacy ? null : fees.MaxPriority));
        return raw;
    }

    /// <summary>What kp asked the signer to sign: the signed transaction must be exactly this, fees at most those asked.</summary>
    private sealed record Asked(BigInteger ChainId, string? To, string Data, BigInteger Gas, BigInteger Nonce, BigInteger MaxFee, BigInteger? MaxPriority);

    /// <summary>What a signed transaction carries, as read back from its bytes.</summary>
    private sealed record Signed(string? Sender, BigInteger? ChainId, string? To, string Data, BigInteger Gas, BigInteger Nonce, BigInteger Value, BigInteger MaxFee, BigInteger? MaxPriority);

    private static BigInteger Number(byte[]? bytes) => new(bytes ?? [], isUnsigned: true, isBigEndian: true);

    private static string? Address(string? to) => string.IsNullOrEmpty(to) || to == "0x" ? null : to.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? to : "0x" + to;

    private static string WithPrefix(string data) => data.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? data : "0x" + data;

    private void CheckTransaction(string raw, string account, Asked asked)
    {
        Signed signed;
        try
        {
            var tx = Nethereum.Model.TransactionFactory.CreateTransaction(raw);
            var sender = tx.GetSenderAddress();
            signed = tx switch
            {
                Nethereum.Model.Transaction1559 t => new Signed(sender, t.ChainId, Address(t.ReceiverAddress), WithPrefix(t.Data ?? "0x"), t.GasLimit ?? 0, t.Nonce ?? 0, t.Amount ?? 0,
                    t.MaxFeePerGas ?? 0, t.MaxPriorityFeePerGas ?? 0),
                Nethereum.Model.LegacyTransactionChainId c => new Signed(sender, c.GetChainIdAsBigInteger(), Address(c.ReceiveAddress is { Length: > 0 } r ? "0x" + Convert.ToHexStringLower(r) : null),
                    "0x" + Convert.ToHexStringLower(c.Data ?? []), Number(c.GasLimit), Number(c.Nonce), Number(c.Value), Number(c.GasPrice), null),
                // a legacy transaction without a chain id (pre EIP-155) could be replayed on any chain
                Nethereum.Model.LegacyTransaction l => new Signed(sender, null, Address(l.ReceiveAddress is { Length: > 0 } r ? "0x" + Convert.ToHexStringLower(r) : null),
                    "0x" + Convert.ToHexStringLower(l.Data ?? []), Number(l.GasLimit), Number(l.Nonce), Number(l.Value), Number(l.GasPrice), null),
                _ => throw new FormatException("a transaction type kp does not send"),
            };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new RemoteSignerException(Url, "answered eth_signTransaction with bytes that are not a signed transaction", e);
        }
        if (!string.Equals(signed.Sender, account, StringComparison.OrdinalIgnoreCase))
        {
            throw new RemoteSignerException(Url, $"returned a transaction signed by {signed.Sender ?? "nobody"}, not by {account}: nothing was sent");
        }
        var differs = new List<string>();
        if (signed.Nonce != asked.Nonce) differs.Add("nonce");
        if (!string.Equals(signed.Data, asked.Data, StringComparison.OrdinalIgnoreCase)) differs.Add("call data");
        if (signed.ChainId != asked.ChainId) differs.Add("chain id");
        if (!string.Equals(signed.To, asked.To, StringComparison.OrdinalIgnoreCase)) differs.Add("recipient");
        if (signed.Value != 0) differs.Add("value");
        if (signed.Gas != asked.Gas) differs.Add("gas");
        if (signed.MaxFee > asked.MaxFee || signed.MaxPriority > asked.MaxPriority || (signed.MaxPriority is null) != (asked.MaxPriority is null)) differs.Add("fees");
        if (differs.Count > 0)
        {
            throw new RemoteSignerException(Url, $"returned a transaction other than the one asked for ({string.Join(", ", differs)} differ): nothing was sent");
        }
    }

    private static string Hex(BigInteger value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0') switch { "" => "0", var h => h };

    /// <summary>A signer's text as shown in a message: control characters (terminal escapes) replaced, at most 200 characters.</summary>
    private static string Printable(string text)
    {
        var clean = new string([.. text.Take(201).Select(c => char.IsControl(c) ? '?' : c)]);
        return clean.Length > 200 ? clean[..200] + "…" : clean;
    }

    private static string Shown(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length > 80 ? text[..80] + "…" : text;
    }

    /// <summary>Sends one JSON-RPC request and returns its result.</summary>
    /// <exception cref="RemoteSignerException">Unreachable, no answer within <see cref="Timeout"/>, an HTTP or JSON-RPC error (a refusal), or no JSON-RPC answer.</exception>
    public async Task<JsonNode?> RequestAsync(string method, JsonArray parameters, CancellationToken ct = default)
    {
        var id = Interlocked.Increment(ref _nextId);
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters }.ToJsonString();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        string text;
        int status;
        try
        {
            using var content = new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _http.PostAsync(Url, content, timeout.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new RemoteSignerException(Url, $"did not answer {method} within {Timeout.TotalSeconds:0.#} s", e);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            throw new RemoteSignerException(Url, $"answered {method} with more than {MaxAnswerBytes:N0} bytes", e);
        }
        catch (HttpRequestException e)
        {
            throw new RemoteSignerException(Url, $"is not reachable ({e.Message})", e);
        }
        JsonNode? answer;
        try
        {
            answer = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            answer = null;
        }
        if (answer is JsonObject { } o && o["error"] is JsonObject error)
        {
            var message = Printable(error["message"]?.ToString() ?? "no reason given");
            var code = error["code"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : (int?)null;
            throw new RemoteSignerException(Url, $"refused {method}: {message}", rpcCode: code);
        }
        if (status is < 200 or > 299) throw new RemoteSignerException(Url, $"answered {method} with HTTP {status}");
        if (answer is not JsonObject ok || !ok.ContainsKey("result")) throw new RemoteSignerException(Url, $"answered {method} with something that is not JSON-RPC");
        return ok["result"];
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
