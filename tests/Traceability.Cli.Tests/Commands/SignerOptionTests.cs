using Traceability.Cli.Commands;
using Traceability.Cli.Infrastructure;

namespace Traceability.Cli.Tests.Commands;

/// <summary>--signer resolves in the one place accounts are resolved (CliContext.AccountSource), and kp serve hands it to the service.</summary>
[Trait("Category", "Fast")]
public class SignerOptionTests
{
    private static CliContext Context(Dictionary<string, string?> environment, params string[] args)
    {
        var home = Directory.CreateTempSubdirectory("kp-signer-").FullName;
        environment["KP_HOME"] = home;
        var root = KpApp.Tree(new CommandRunner(TextWriter.Null, TextWriter.Null, environment, home));
        return new CliContext(root.Parse(args), TextWriter.Null, TextWriter.Null, environment, default, home);
    }

    [Fact]
    public void Kp_serve_passes_the_remote_signer_to_the_service_and_no_account_index()
    {
        using var ctx = Context([], "serve", "--signer", "http://127.0.0.1:8550", "--signer-account", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "--signer-timeout", "30");
        var settings = ServiceCommands.Settings(ctx, "/tmp/kp-service");
        Assert.StartsWith("http://127.0.0.1:8550", settings["Anchoring:SignerUrl"]);
        Assert.Equal("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", settings["Anchoring:SignerAccount"]);
        Assert.Equal("30", settings["Anchoring:SignerTimeoutSeconds"]);
        Assert.False(settings.ContainsKey("Anchoring:AccountIndex"));
        Assert.False(settings.ContainsKey("Anchoring:KeystorePath"));
    }

    [Fact]
    public void KP_SIGNER_is_the_signer_when_no_option_names_one()
    {
        using var ctx = Context(new() { ["KP_SIGNER"] = "127.0.0.1:8551" }, "cert", "relay", "signed.json");
        Assert.StartsWith("http://127.0.0.1:8551", ctx.AccountSource.SignerUrl);
        Assert.False(ctx.AccountSource.NeedsChainId);
    }

    [Theory]
    [InlineData("--account", "3", "--account")]
    [InlineData("--keystore", "key.json", "--keystore")]
    public void A_signer_with_another_account_setting_is_a_usage_error_naming_it(string option, string value, string field)
    {
        using var ctx = Context([], "cert", "relay", "signed.json", "--signer", "http://127.0.0.1:8550", option, value);
        var e = Assert.Throws<CliUsageException>(() => ctx.AccountSource);
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void A_signer_account_without_a_signer_is_a_usage_error()
    {
        using var ctx = Context([], "cert", "relay", "signed.json", "--signer-account", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        var e = Assert.Throws<CliUsageException>(() => ctx.AccountSource);
        Assert.Equal("--signer-account", e.Field);
    }
}
