using System.Net;
using System.Numerics;
using System.Text;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Model;
using Nethereum.Signer;
using Traceability.Chain.Accounts;
using Traceability.Chain.Rpc;
using Traceability.Chain.Signing;

namespace Traceability.Chain.Tests.Signing;

/// <summary>
/// A remote signer that answers with something other than what kp asked for: kp refuses it before
/// anything is sent (another recipient, chain, value, gas or fee; an oversized answer; a redirect),
/// and never shows the signer's credentials or raw control characters.
/// </summary>
[Trait("Category", "Fast")]
public sealed class RemoteSignerAnswerTests
{
    private static readonly ChainAccount Account = Mnemonic.Parse(Mnemonic.DevelopmentPhrase).Account(1);
    private const string Registry = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    private const string Data = "0x12345678";
    private static readonly BigInteger ChainId = 31337, Gas = 100_000, Nonce = 5, MaxFee = 2_000_000_000, MaxPriority = 1_000_000_000;

    private static string Raw(BigInteger? chainId = null, string to = Registry, BigInteger? value = null, BigInteger? gas = null, BigInteger? maxFee = null) =>
        new Transaction1559Signer().SignTransaction(Account.Key,
            new Transaction1559(chainId ?? ChainId, Nonce, MaxPriority, maxFee ?? MaxFee, gas ?? Gas, to, value ?? 0, Data, [])).EnsureHexPrefix();

    private static string Answer(string result) => $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"{result}\"}}";

    private static async Task<string> SignThroughAsync(string url) =>
        await new RemoteSigner(url, TimeSpan.FromSeconds(60)).SignTransactionAsync(Account.Address, ChainId, Registry, Data, Gas, Nonce, (0, MaxFee, MaxPriority, false));

    [Fact]
    public async Task The_transaction_asked_for_is_accepted()
    {
        using var signer = FakeSigner.Start(_ => (200, Answer(Raw())));
        Assert.Equal(Raw(), await SignThroughAsync(signer.Url));
    }

    [Fact]
    public async Task A_legacy_transaction_with_the_chain_id_asked_for_is_accepted_and_one_without_refused()
    {
        var withChainId = new LegacyTransactionSigner().SignTransaction(Account.Key.GetPrivateKeyAsBytes(), ChainId, Registry, 0, Nonce, MaxFee, Gas, Data).EnsureHexPrefix();
        using (var signer = FakeSigner.Start(_ => (200, Answer(withChainId))))
        {
            var legacy = new RemoteSigner(signer.Url, TimeSpan.FromSeconds(60));
            Assert.Equal(withChainId, await legacy.SignTransactionAsync(Account.Address, ChainId, Registry, Data, Gas, Nonce, (MaxFee, 0, 0, true)));
        }
        var anyChain = new LegacyTransactionSigner().SignTransaction(Account.Key.GetPrivateKeyAsBytes(), Registry, 0, Nonce, MaxFee, Gas, Data).EnsureHexPrefix();
        using (var signer = FakeSigner.Start(_ => (200, Answer(anyChain))))
        {
            var legacy = new RemoteSigner(signer.Url, TimeSpan.FromSeconds(60));
            var e = await Assert.ThrowsAsync<RemoteSignerException>(() => legacy.SignTransactionAsync(Account.Address, ChainId, Registry, Data, Gas, Nonce, (MaxFee, 0, 0, true)));
            Assert.Contains("chain id", e.Message, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, string> Altered() => new()
    {
        { "recipient", Raw(to: "0x000000000000000000000000000000000000dEaD") },
        { "chain id", Raw(chainId: 1) },
        { "value", Raw(value: BigInteger.Pow(10, 18)) },
        { "gas", Raw(gas: 30_000_000) },
        { "fees", Raw(maxFee: BigInteger.Pow(10, 15)) },
    };

    [Theory]
    [MemberData(nameof(Altered))]
    public async Task A_transaction_for_another_recipient_chain_value_gas_or_fee_is_refused(string field, string raw)
    {
        using var signer = FakeSigner.Start(_ => (200, Answer(raw)));
        var e = await Assert.ThrowsAsync<RemoteSignerException>(() => SignThroughAsync(signer.Url));
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was sent", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_larger_than_the_bound_is_refused_unread()
    {
        var padded = "{\"jsonrpc\":\"2.0\",\"id\":1," + new string(' ', RemoteSigner.MaxAnswerBytes + 10) + $"\"result\":\"{Raw()}\"}}";
        using var signer = FakeSigner.Start(_ => (200, padded));
        var e = await Assert.ThrowsAsync<RemoteSignerException>(() => SignThroughAsync(signer.Url));
        Assert.Contains("bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_to_another_signer_is_not_followed()
    {
        using var elsewhere = FakeSigner.Start(_ => (200, Answer(Raw())));
        using var signer = FakeSigner.Start(_ => (307, ""), elsewhere.Url);
        var e = await Assert.ThrowsAsync<RemoteSignerException>(() => SignThroughAsync(signer.Url));
        Assert.Contains("HTTP 307", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, elsewhere.Requests);
    }

    [Fact]
    public async Task A_refusal_is_shown_without_control_characters_and_bounded()
    {
        var reason = "\u001b[2J\u001b]0;pwned\u0007" + new string('x', 5000);
        using var signer = FakeSigner.Start(_ => (200, $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{{\"code\":-32000,\"message\":\"{reason.Replace("\u001b", "\\u001b", StringComparison.Ordinal).Replace("\u0007", "\\u0007", StringComparison.Ordinal)}\"}}}}"));
        var e = await Assert.ThrowsAsync<RemoteSignerException>(() => SignThroughAsync(signer.Url));
        Assert.DoesNotContain(e.Message, char.IsControl);
        Assert.True(e.Message.Length < 400, e.Message);
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("[{\"address\":\"0x70997970C51812dc3A010C7d01b50e0d17dc79C8\"}]")]
    [InlineData("[\"not an address\"]")]
    public async Task Accounts_that_are_not_addresses_are_no_account(string accounts)
    {
        using var signer = FakeSigner.Start(_ => (200, $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{accounts}}}"));
        using var remote = new RemoteSigner(signer.Url, TimeSpan.FromSeconds(60));
        var e = await Assert.ThrowsAsync<RemoteSignerException>(() => remote.AccountAsync());
        Assert.Contains("offers no account", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://user:p@ss@127.0.0.1:9/sign", "http://***@127.0.0.1:9/sign")]
    [InlineData("https://token@signer.example", "https://***@signer.example")]
    [InlineData("http://user:secret@127.0.0.1:9?x=1", "http://***@127.0.0.1:9?x=1")]
    [InlineData("http://127.0.0.1:9/a@b", "http://127.0.0.1:9/a@b")]
    public void Credentials_are_redacted_whole(string url, string shown)
    {
        Assert.Equal(shown, ChainUnavailableException.WithoutCredentials(url));
        Assert.Contains(shown, new RemoteSignerException(url, "refused").Message, StringComparison.Ordinal);
    }

    /// <summary>A stand-in signer on 127.0.0.1 that answers every request with a canned status and body (and a Location when redirecting).</summary>
    private sealed class FakeSigner : IDisposable
    {
        private readonly HttpListener _listener = new();
        private int _requests;

        private FakeSigner() { }

        public string Url { get; private set; } = "";

        public int Requests => _requests;

        public static FakeSigner Start(Func<string, (int Status, string Body)> answer, string? location = null)
        {
            for (var attempt = 0; ; attempt++)
            {
                var fake = new FakeSigner();
                var port = Random.Shared.Next(20_000, 60_000);
                fake.Url = $"http://127.0.0.1:{port}/";
                fake._listener.Prefixes.Add(fake.Url);
                try
                {
                    fake._listener.Start();
                }
                catch (HttpListenerException) when (attempt < 20)
                {
                    continue;
                }
                _ = Task.Run(() => fake.ServeAsync(answer, location));
                return fake;
            }
        }

        private async Task ServeAsync(Func<string, (int Status, string Body)> answer, string? location)
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
                Interlocked.Increment(ref _requests);
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var (status, body) = answer(await reader.ReadToEndAsync());
                context.Response.StatusCode = status;
                if (location is not null) context.Response.RedirectLocation = location;
                var bytes = Encoding.UTF8.GetBytes(body);
                context.Response.ContentType = "application/json";
                try
                {
                    await context.Response.OutputStream.WriteAsync(bytes);
                    context.Response.Close();
                }
                catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
                {
                    // the client stopped reading (an answer over the bound)
                }
            }
        }

        public void Dispose() => _listener.Close();
    }
}
