using System.Globalization;
using System.Text.Json;
using Traceability.Testing;
using static Traceability.Cli.Tests.KpStory;
using static Traceability.Testing.TestRegistry;

namespace Traceability.Cli.Tests.Commands;

/// <summary>
/// Authorities sign with the keys they already hold: the typed data kp prints, signed by an independent
/// EIP-712 implementation (ethers) as a wallet would, attached and relayed; the one signature-form rule
/// in kp, the registry and the verifier; and a remote signer (a stand-in for Clef or Web3Signer) for
/// signing the typed data and the transactions.
/// </summary>
[Trait("Category", "Chain")]
[Collection("hardhat")]
public class ExternalSigningTests(HardhatFixture fixture)
{
    /// <summary>Deployed, an origin parcel registered by the BW miner and a certificate of it made (cert.json).</summary>
    private async Task<(Kp Kp, string Dir, string Cert)> ReadyAsync(string number = "BW2026-000901")
    {
        var (kp, dir) = await DeployedAsync(fixture.Node.Url, "kp-sign-");
        string F(string name) => Path.Combine(dir, name);
        Ok(await kp.RunAsync("new", "parcel", "--participant", "BW", "--mine", "Jwaneng", "--carats", "1000", "--value-usd", "117000", "--out", F("p1.json")));
        Ok(await kp.RunAsync("parcel", "register", F("p1.json"), "--account", BwMiner.ToString(CultureInfo.InvariantCulture)));
        Ok(await kp.RunAsync("new", "certificate", "--number", number, "--exporter", "BW", "--importer", "AE", "--parcels", F("p1.json"),
            "--authority-name", "Ministry of Minerals and Energy", "--exporter-name", "ODC, Gaborone", "--importer-name", "Rough DMCC, Dubai", "--out", F("cert.json")));
        return (kp, dir, F("cert.json"));
    }

    /// <summary>Signs typed data as a wallet does, with ethers (tests/tools/sign-typed-data.js) and development account <paramref name="index"/>'s key.</summary>
    private static async Task<(string Signature, string Signer, string Digest)> WalletSignAsync(string typedData, int index)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("node")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(RepoPaths.Under("tests", "tools", "sign-typed-data.js"));
        psi.Environment["KP_TEST_SIGNER_KEY"] = Account(index).Key.GetPrivateKey();
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardInput.WriteAsync(typedData);
        p.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        Assert.True(p.ExitCode == 0, await stderr);
        using var doc = JsonDocument.Parse(await stdout);
        var r = doc.RootElement;
        return (r.GetProperty("signature").GetString()!, r.GetProperty("signer").GetString()!, r.GetProperty("digest").GetString()!);
    }

    private static (ulong Deadline, string Registry, ulong ChainId) Facts(string typedData)
    {
        using var doc = JsonDocument.Parse(typedData);
        var r = doc.RootElement;
        return (r.GetProperty("message").GetProperty("deadline").GetUInt64(), r.GetProperty("domain").GetProperty("verifyingContract").GetString()!,
            r.GetProperty("domain").GetProperty("chainId").GetUInt64());
    }

    [Fact]
    public async Task Typed_data_signed_by_ethers_as_a_wallet_is_attached_relayed_and_Verified()
    {
        var (kp, dir, cert) = await ReadyAsync();
        var typedPath = Path.Combine(dir, "typed-data.json");
        var printed = Ok(await kp.RunAsync("cert", "issue", cert, "--sign-only", "--typed-data", "--account", "12"));
        var typed = printed.Out;
        Assert.Contains("kp cert attach-signature cert.json", printed.Err);
        Ok(await kp.RunAsync("cert", "issue", cert, "--sign-only", "--typed-data", "--out", typedPath));
        Assert.Equal(JsonDocument.Parse(typed).RootElement.GetProperty("types").ToString(), JsonDocument.Parse(File.ReadAllText(typedPath)).RootElement.GetProperty("types").ToString());

        // the complete eth_signTypedData_v4 document: EIP712Domain, the domain, the primary type, the message; nothing secret
        using (var doc = JsonDocument.Parse(typed))
        {
            var root = doc.RootElement;
            Assert.Equal("IssueCertificate", root.GetProperty("primaryType").GetString());
            Assert.Equal(["Certificate", "CertificateDetails", "EIP712Domain", "IssueCertificate"], root.GetProperty("types").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal(4, root.GetProperty("types").GetProperty("EIP712Domain").GetArrayLength());
            Assert.Equal("BW2026-000901", root.GetProperty("message").GetProperty("certificate").GetProperty("number").GetString());
            Assert.Equal(31337, root.GetProperty("domain").GetProperty("chainId").GetInt64());
        }
        Assert.DoesNotContain("mnemonic", typed, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Account(BwAuthority).Key.GetPrivateKey()[2..], typed, StringComparison.OrdinalIgnoreCase);

        var (deadline, registry, _) = Facts(typed);
        var (signature, signer, _) = await WalletSignAsync(typed, BwAuthority);
        Assert.Equal(A(BwAuthority), signer);

        // a signature that is not the named authority's is refused, and nothing is written
        var wrong = Path.Combine(dir, "wrong.json");
        var refused = await kp.RunAsync("cert", "attach-signature", cert, "--signature", signature, "--deadline", deadline.ToString(CultureInfo.InvariantCulture),
            "--authority", A(AeAuthority), "--out", wrong);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--signature: it is " + A(BwAuthority) + "'s signature", refused.Err);
        Assert.Contains("not " + A(AeAuthority) + "'s", refused.Err);
        Assert.False(File.Exists(wrong));
        var late = await kp.RunAsync("cert", "attach-signature", cert, "--signature", signature, "--deadline", (deadline + 1).ToString(CultureInfo.InvariantCulture),
            "--authority", A(BwAuthority), "--out", wrong);
        Assert.Equal(2, late.ExitCode);
        Assert.False(File.Exists(wrong));

        var signed = Path.Combine(dir, "signed.json");
        Ok(await kp.RunAsync("cert", "attach-signature", cert, "--signature", signature, "--deadline", deadline.ToString(CultureInfo.InvariantCulture),
            "--authority", A(BwAuthority), "--out", signed));
        using (var doc = JsonDocument.Parse(File.ReadAllText(signed)))
        {
            var a = doc.RootElement.GetProperty("authorization");
            Assert.Equal(signature, a.GetProperty("signature").GetString());
            Assert.Equal(registry, a.GetProperty("registry").GetString());
        }
        Ok(await kp.RunAsync("cert", "relay", signed, "--account", Relayer.ToString(CultureInfo.InvariantCulture)));
        var v = await kp.RunAsync("verify", signed);
        Assert.True(v.ExitCode == 0, v.ToString());
        Assert.Contains("VERDICT: Verified", v.Out);
    }

    [Fact]
    public async Task A_signature_given_in_upper_case_is_written_as_a_document_kp_reads_back_and_relays()
    {
        var (kp, dir, cert) = await ReadyAsync("BW2026-000903");
        var typed = Ok(await kp.RunAsync("cert", "issue", cert, "--sign-only", "--typed-data")).Out;
        var (deadline, _, _) = Facts(typed);
        var (signature, _, _) = await WalletSignAsync(typed, BwAuthority);
        var signed = Path.Combine(dir, "signed-upper.json");
        Ok(await kp.RunAsync("cert", "attach-signature", cert, "--signature", "0X" + signature[2..].ToUpperInvariant(), "--deadline", deadline.ToString(CultureInfo.InvariantCulture),
            "--authority", A(BwAuthority).ToLowerInvariant(), "--out", signed));
        Ok(await kp.RunAsync("cert", "relay", signed, "--account", Relayer.ToString(CultureInfo.InvariantCulture)));
        var v = await kp.RunAsync("verify", signed);
        Assert.True(v.ExitCode == 0, v.ToString());
    }

    [Fact]
    public async Task The_v_0_1_and_compact_forms_are_accepted_and_high_s_refused_alike_by_kp_the_registry_and_the_verifier()
    {
        var (kp, dir, cert) = await ReadyAsync("BW2026-000902");
        var typed = Ok(await kp.RunAsync("cert", "issue", cert, "--sign-only", "--typed-data")).Out;
        var (deadline, _, _) = Facts(typed);
        var (signature, _, _) = await WalletSignAsync(typed, BwAuthority);
        var d = deadline.ToString(CultureInfo.InvariantCulture);
        string Attach(string form) => Path.Combine(dir, $"signed-{form}.json");

        // kp: the accepted forms attach, the refused ones do not (a usage error naming the rule)
        foreach (var form in SignatureVariants.Accepted)
        {
            Ok(await kp.RunAsync("cert", "attach-signature", cert, "--signature", SignatureVariants.Of(signature, form), "--deadline", d, "--authority", A(BwAuthority), "--out", Attach(form)));
        }
        foreach (var form in SignatureVariants.Refused)
        {
            var r = await kp.RunAsync("cert", "attach-signature", cert, "--signature", SignatureVariants.Of(signature, form), "--deadline", d, "--authority", A(BwAuthority), "--out", Attach(form), "--json");
            Assert.True(r.ExitCode == 2, form + ": " + r);
            using var e = JsonDocument.Parse(r.Err);
            Assert.Equal("--signature", e.RootElement.GetProperty("error").GetProperty("field").GetString());
            Assert.False(File.Exists(Attach(form)), form);
        }

        // documents carrying a high-s twin, as an attacker would write them by hand
        var genuine = File.ReadAllText(Attach("compact"));
        var compact = SignatureVariants.Of(signature, "compact");
        string Forged(string form)
        {
            var path = Attach(form);
            File.WriteAllText(path, genuine.Replace(compact, SignatureVariants.Of(signature, form), StringComparison.Ordinal));
            return path;
        }

        // the registry: a high-s twin is refused (InvalidSignature, though ecrecover would name the authority); the compact form is relayed
        var highS = await kp.RunAsync("cert", "relay", Forged("highS"), "--account", Relayer.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(1, highS.ExitCode);
        Assert.Contains("InvalidSignature", highS.Err);
        Ok(await kp.RunAsync("cert", "relay", Attach("compact"), "--account", Relayer.ToString(CultureInfo.InvariantCulture)));
        // the v 0/1 form of the same signature reaches the registry's next rule: the number is taken, the signature was not refused
        var again = await kp.RunAsync("cert", "relay", Attach("v01"), "--account", Relayer.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("CertificateAlreadyIssued", again.Err);

        // the verifier: both accepted forms are the authority's signature; the high-s twins are nobody's
        foreach (var form in SignatureVariants.Accepted)
        {
            var v = await kp.RunAsync("verify", Attach(form));
            Assert.True(v.ExitCode == 0, form + ": " + v);
            Assert.Contains("VERDICT: Verified", v.Out);
        }
        foreach (var form in new[] { "highS", "highSv01" })
        {
            var v = await kp.RunAsync("verify", Forged(form));
            Assert.Equal(1, v.ExitCode);
            Assert.Contains("VERDICT: Unauthorized", v.Out);
        }
    }

    [Fact]
    public async Task Sign_only_and_relay_go_through_remote_signers_that_hold_the_keys()
    {
        var (kp, dir, cert) = await ReadyAsync("BW2026-000903");
        await using var authority = await StandInSigner.StartAsync(BwAuthority);
        await using var relayer = await StandInSigner.StartAsync(Relayer);
        kp.Environment.Remove("KP_MNEMONIC"); // no key in kp: the signers hold them
        var signed = Path.Combine(dir, "signed.json");
        var sign = Ok(await kp.RunAsync("cert", "issue", cert, "--sign-only", "--signer", authority.Url, "--out", signed));
        Assert.Contains($"as {A(BwAuthority)}", sign.Err);
        var relay = Ok(await kp.RunAsync("cert", "relay", signed, "--signer", relayer.Url, "--json"));
        var tx = JsonDocument.Parse(relay.Out).RootElement.GetProperty("transaction").GetString()!;
        Assert.Equal(A(Relayer), (await TransactionFromAsync(tx)));
        var v = await kp.RunAsync("verify", signed);
        Assert.Contains("VERDICT: Verified", v.Out);

        // a sending command that is not a certificate's: the transaction is the signer's too
        Ok(await kp.RunAsync("new", "parcel", "--participant", "BW", "--mine", "Orapa", "--carats", "12", "--value-usd", "1000", "--out", Path.Combine(dir, "p2.json")));
        await using var miner = await StandInSigner.StartAsync(BwMiner);
        Ok(await kp.RunAsync("parcel", "register", Path.Combine(dir, "p2.json"), "--signer", miner.Url));
        Assert.Contains("VERDICT: Verified", (await kp.RunAsync("verify", Path.Combine(dir, "p2.json"))).Out);

        // a signer that names the typed-data method as Web3Signer does (eth_signTypedData) signs too
        await using (var web3signer = await StandInSigner.StartAsync(BwAuthority, 0, "--web3signer"))
        {
            Ok(await kp.RunAsync("cert", "issue", cert, "--sign-only", "--signer", web3signer.Url, "--out", Path.Combine(dir, "signed-web3signer.json")));
        }

        // --signer with --account is a usage error: the signer holds the account
        var both = await kp.RunAsync("cert", "relay", signed, "--signer", relayer.Url, "--account", "11");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("--account", both.Err);

        async Task<string> TransactionFromAsync(string hash)
        {
            using var rpc = new Chain.Rpc.ChainRpc(fixture.Node.Url);
            var t = await rpc.RequestAsync("eth_getTransactionByHash", hash);
            return Nethereum.Util.AddressUtil.Current.ConvertToChecksumAddress((string)t["from"]!);
        }
    }

    [Fact]
    public async Task A_signer_that_is_down_slow_or_refuses_is_named_and_nothing_is_written_or_sent()
    {
        var (kp, dir, cert) = await ReadyAsync("BW2026-000904");
        kp.Environment.Remove("KP_MNEMONIC");
        var signed = Path.Combine(dir, "signed.json");

        // down: a signer that was there and is gone
        var gone = await StandInSigner.StartAsync(BwAuthority);
        var url = gone.Url;
        await gone.DisposeAsync();
        var down = await kp.RunAsync("cert", "issue", cert, "--sign-only", "--signer", url, "--out", signed, "--json");
        Assert.True(down.ExitCode == 3, down.ToString());
        using (var e = JsonDocument.Parse(down.Err))
        {
            Assert.Equal("signer", e.RootElement.GetProperty("error").GetProperty("code").GetString());
            Assert.Contains($"remote signer {url}", e.RootElement.GetProperty("error").GetProperty("message").GetString());
            Assert.Contains("not reachable", e.RootElement.GetProperty("error").GetProperty("message").GetString());
        }
        Assert.False(File.Exists(signed));

        // slow: no answer within --signer-timeout
        await using (var slow = await StandInSigner.StartAsync(BwAuthority, 0, "--delay-ms", "60000"))
        {
            var r = await kp.RunAsync("cert", "issue", cert, "--sign-only", "--signer", slow.Url, "--signer-timeout", "3", "--out", signed);
            Assert.True(r.ExitCode == 3, r.ToString());
            Assert.Contains($"remote signer {slow.Url}: did not answer eth_signTypedData_v4 within 3 s", r.Err);
            Assert.False(File.Exists(signed));
        }

        // refuses: the operator says no; a signer answering with another key's signature is caught too
        await using (var refusing = await StandInSigner.StartAsync(BwAuthority, 0, "--refuse"))
        {
            var r = await kp.RunAsync("cert", "issue", cert, "--sign-only", "--signer", refusing.Url, "--out", signed);
            Assert.True(r.ExitCode == 3, r.ToString());
            Assert.Contains($"remote signer {refusing.Url}: refused eth_signTypedData_v4: request denied by the signer's operator", r.Err);
            Assert.False(File.Exists(signed));
        }
        await using (var wrongKey = await StandInSigner.StartAsync(BwAuthority, 0, "--wrong-key"))
        {
            var r = await kp.RunAsync("cert", "issue", cert, "--sign-only", "--signer", wrongKey.Url, "--out", signed);
            Assert.True(r.ExitCode == 3, r.ToString());
            Assert.Contains($"not by {A(BwAuthority)}", r.Err);
            Assert.False(File.Exists(signed));
        }

        // a relay whose transaction signer refuses sends nothing: the certificate is not on record, and a working signer relays it after
        await using var authority = await StandInSigner.StartAsync(BwAuthority);
        Ok(await kp.RunAsync("cert", "issue", cert, "--sign-only", "--signer", authority.Url, "--out", signed));
        await using (var refusing = await StandInSigner.StartAsync(Relayer, 0, "--refuse"))
        {
            var r = await kp.RunAsync("cert", "relay", signed, "--signer", refusing.Url);
            Assert.True(r.ExitCode == 3, r.ToString());
            Assert.Contains("refused eth_signTransaction", r.Err);
        }
        var status = await kp.RunAsync("cert", "status", "BW2026-000904");
        Assert.Equal(1, status.ExitCode);
        await using var relayer = await StandInSigner.StartAsync(Relayer);
        Ok(await kp.RunAsync("cert", "relay", signed, "--signer", relayer.Url));
        Ok(await kp.RunAsync("cert", "status", "BW2026-000904"));
    }
}
