using Traceability.Core.Json;
using Traceability.Core.Primitives;
using Traceability.Core.Records;
using Traceability.Testing;

namespace Traceability.Cli.Tests.Infrastructure;

/// <summary>
/// Issue 7, item 12: amounts, dates, addresses and ports are parsed strictly, in options and in
/// documents: a bad value is exit code 2 with a sentence naming the option or field, never a silently
/// different value and never an unhandled exception.
/// </summary>
[Trait("Category", "Chain")]
public class StrictOptionsTests
{
    private readonly Kp _kp = new();

    /// <summary>A valid address of the development mnemonic and the same one with two letters' case swapped (a wrong EIP-55 checksum).</summary>
    private const string Good = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", BadChecksum = "0xf39fd6e51aad88F6F4ce6aB8827279cffFb92266";

    private static void Refused(Kp.Result r, string option, string? words = null)
    {
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(option, r.Err);
        if (words is not null) Assert.Contains(words, r.Err);
        Assert.DoesNotContain("Unhandled", r.Err + r.Out);
        Assert.DoesNotContain("   at ", r.Err + r.Out); // no stack trace
        Assert.DoesNotContain("✓", r.Out + r.Err);
    }

    [Theory]
    [InlineData("1,5", "no thousands separators")]
    [InlineData("1.000,50", "no thousands separators")]
    [InlineData("1e3", "without an exponent")]
    [InlineData("99999999999999999999", "implausibly large")]
    [InlineData("79228162514264337593543950336", "implausibly large")]
    [InlineData("1000000000", "implausibly large")]
    [InlineData("10000000.01", "implausibly large")]
    [InlineData("12.345", "at most two")]
    [InlineData("-5", "negative")]
    [InlineData("+5", "not an amount")]
    [InlineData("5.", "not an amount")]
    [InlineData("0x10", "not an amount")]
    [InlineData("١٢", "not an amount")]
    public async Task Carats_are_refused_unless_plain_digits_with_at_most_two_decimals_and_plausible(string value, string words)
    {
        Refused(await _kp.RunAsync("new", "parcel", "--participant", "BW", "--mine", "Jwaneng", "--carats", value), "--carats", words);
    }

    [Theory]
    [InlineData("1,5")]
    [InlineData("1e9")]
    [InlineData("99999999999999999999")]
    [InlineData("5000000000.01")]
    public async Task A_value_in_US_dollars_is_parsed_as_strictly(string value)
    {
        Refused(await _kp.RunAsync("new", "parcel", "--participant", "BW", "--mine", "Jwaneng", "--carats", "10", "--value-usd", value), "--value-usd");
    }

    [Theory]
    [InlineData("1000", 100_000UL)]
    [InlineData("500.25", 50_025UL)]
    [InlineData("0.5", 50UL)]
    [InlineData("10000000", 1_000_000_000UL)]
    public async Task Plain_amounts_still_mean_what_they_say(string value, ulong hundredths)
    {
        var r = await _kp.RunAsync("new", "parcel", "--participant", "BW", "--mine", "Jwaneng", "--carats", value);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(hundredths, RecordJson.Parse<ParcelRecord>(r.Out).Carats);
    }

    [Theory]
    [InlineData("2062-01-01", "days ahead")]
    [InlineData("4102444800", "days ahead")] // 2100-01-01 in Unix seconds
    [InlineData("1793491200000", "milliseconds")]
    [InlineData("99999999999999999999999", "not a date")]
    [InlineData("2026-13-01", "not a date")]
    [InlineData("27/11/2026", "not a date")]
    [InlineData("20000", "before 2000")]
    public async Task A_date_decades_ahead_or_malformed_is_refused(string value, string words)
    {
        Refused(await _kp.RunAsync("new", "parcel", "--participant", "BW", "--mine", "Jwaneng", "--carats", "10", "--date", value), "--date", words);
    }

    [Theory]
    [InlineData("--valid-days", "20000")]
    [InlineData("--valid-days", "0")]
    [InlineData("--valid-days", "1,5")]
    [InlineData("--valid-days", "99999999999999999999")]
    [InlineData("--date", "2060-06-30")]
    public async Task A_certificate_expiring_decades_ahead_is_refused(string option, string value)
    {
        var dir = Directory.CreateTempSubdirectory("kp-strict-").FullName;
        var parcel = Path.Combine(dir, "p.json");
        await File.WriteAllTextAsync(parcel, RecordJson.Write(SampleRecords.DerivedParcel("BW", 10_000, "BW")));
        Refused(await _kp.RunAsync("new", "certificate", "--number", "BW2026-1", "--exporter", "BW", "--importer", "AE", "--parcels", parcel,
            "--authority-name", "a", "--exporter-name", "b", "--importer-name", "c", option, value), option);
    }

    [Fact]
    public async Task A_mixed_case_address_with_a_wrong_EIP55_checksum_is_refused_before_anything_is_sent()
    {
        // no chain at all: the address is refused while the command line is read
        var none = $"http://127.0.0.1:{Lab.DevChain.LocalNode.FreePort()}";
        Refused(await _kp.RunAsync("member", "add", BadChecksum, "--rpc", none, "--registry", Good), "account", "EIP-55 checksum");
        Refused(await _kp.RunAsync("authority", "add", "BW", BadChecksum, "--rpc", none, "--registry", Good), "account", "EIP-55 checksum");
        Refused(await _kp.RunAsync("participant", "list", "--rpc", none, "--registry", BadChecksum), "--registry", "EIP-55 checksum");
        Refused(await _kp.RunAsync("chain", "deploy", "--governor", BadChecksum, "--rpc", none), "--governor", "EIP-55 checksum");
        Refused(await _kp.RunAsync("member", "add", "0x1234", "--rpc", none, "--registry", Good), "account", "40 hex digits");
        // all lower case (no checksum) is still an address: the chain, not the parser, stops this one
        var lower = await _kp.RunAsync("member", "add", Good.ToLowerInvariant(), "--rpc", none, "--registry", Good);
        Assert.Equal(3, lower.ExitCode);
    }

    [Fact]
    public async Task A_signed_certificate_whose_authority_address_has_a_wrong_checksum_is_refused_naming_the_field()
    {
        var dir = Directory.CreateTempSubdirectory("kp-strict-").FullName;
        var cert = SampleRecords.Certificate("BW", "AE", [Salt.New()]) with { Authorization = new CertificateAuthorization(BadChecksum, SampleRecords.Nov2026, "0x" + new string('1', 130), 31337, Good) };
        var file = Path.Combine(dir, "signed.json");
        await File.WriteAllTextAsync(file, RecordJson.Write(cert));
        Refused(await _kp.RunAsync("verify", file, "--rpc", "http://127.0.0.1:1", "--registry", Good), "authorization.authority", "EIP-55 checksum");
    }

    [Theory]
    [InlineData("chain", "up", "--port", "70000")]
    [InlineData("chain", "up", "--port", "-1")]
    [InlineData("chain", "up", "--port", "8545.5")]
    [InlineData("chain", "down", "--port", "0")]
    [InlineData("chain", "down", "--port", "99999999999999999999")]
    [InlineData("serve", "--http-port", "65536")]
    [InlineData("serve", "--max-batch", "1,5")]
    [InlineData("serve", "--max-batch", "601")]
    [InlineData("member", "add", Good, "--account", "1,5")]
    [InlineData("member", "add", Good, "--account", "99999999999999999999")]
    [InlineData("member", "add", Good, "--confirmations", "0")]
    [InlineData("verify", "x.json", "--at", "1,5")]
    [InlineData("cert", "issue", "x.json", "--sign-only", "--valid-minutes", "1e3")]
    public async Task Ports_counts_and_times_are_parsed_strictly(params string[] args)
    {
        var r = await _kp.RunAsync(args);
        Refused(r, args[Array.FindLastIndex(args, a => a.StartsWith("--", StringComparison.Ordinal))]);
    }

    [Fact]
    public async Task Documents_with_implausible_amounts_or_dates_are_refused_before_anything_is_sent()
    {
        var dir = Directory.CreateTempSubdirectory("kp-strict-").FullName;
        var billion = Path.Combine(dir, "billion.json");
        await File.WriteAllTextAsync(billion, RecordJson.Write(SampleRecords.OriginParcel("BW", carats: 100_000_000_000)));
        var r = await _kp.RunAsync("parcel", "register", billion, "--rpc", "http://127.0.0.1:1", "--registry", Good);
        Refused(r, "carats", "implausible");

        var overflow = Path.Combine(dir, "overflow.json");
        await File.WriteAllTextAsync(overflow, RecordJson.Write(SampleRecords.OriginParcel("BW")).Replace("\"carats\": 125050", "\"carats\": 99999999999999999999999", StringComparison.Ordinal));
        Refused(await _kp.RunAsync("parcel", "register", overflow, "--rpc", "http://127.0.0.1:1", "--registry", Good), "carats");

        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var decades = Path.Combine(dir, "decades.json");
        await File.WriteAllTextAsync(decades, RecordJson.Write(SampleRecords.Certificate("BW", "AE", [Salt.New()], issuedAt: now, validDays: 30 * 365)));
        Refused(await _kp.RunAsync("cert", "issue", decades, "--rpc", "http://127.0.0.1:1", "--registry", Good), "expiresAt", "days ahead");

        // and kp new certificate does not add parcels up past the bound
        var p1 = Path.Combine(dir, "p1.json");
        var p2 = Path.Combine(dir, "p2.json");
        await File.WriteAllTextAsync(p1, RecordJson.Write(SampleRecords.DerivedParcel("BW", 600_000_000, "BW")));
        await File.WriteAllTextAsync(p2, RecordJson.Write(SampleRecords.DerivedParcel("BW", 600_000_000, "BW")));
        Refused(await _kp.RunAsync("new", "certificate", "--number", "BW2026-1", "--exporter", "BW", "--importer", "AE", "--parcels", p1, p2,
            "--authority-name", "a", "--exporter-name", "b", "--importer-name", "c"), "details.carats", "implausible");
    }
}
