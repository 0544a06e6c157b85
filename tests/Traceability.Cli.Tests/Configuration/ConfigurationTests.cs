using System.Text.Json;
using Traceability.Chain.Accounts;
using static Traceability.Cli.Tests.KpStory;

namespace Traceability.Cli.Tests.Configuration;

/// <summary>kp.config.json: discovery, precedence, named accounts and networks, and what it refuses (secrets above all).</summary>
[Trait("Category", "Fast")]
public sealed class ConfigurationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kp-config-").FullName;

    private string Project => Path.Combine(_root, "project");
    private string Deep => Path.Combine(Project, "a", "b");
    private string UserConfigHome => Path.Combine(_root, "xdg");

    public ConfigurationTests()
    {
        Directory.CreateDirectory(Deep);
        Directory.CreateDirectory(Path.Combine(UserConfigHome, "kp"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Kp KpIn(string dir, Dictionary<string, string?>? env = null)
    {
        var e = new Dictionary<string, string?>
        {
            ["HOME"] = Path.Combine(_root, "home"),
            ["XDG_CONFIG_HOME"] = UserConfigHome,
            ["KP_HOME"] = Path.Combine(_root, "kphome"),
        };
        foreach (var (k, v) in env ?? []) e[k] = v;
        return new Kp(e) { WorkingDirectory = dir };
    }

    private void WriteProject(string json) => File.WriteAllText(Path.Combine(Project, "kp.config.json"), json);

    private void WriteUser(string json) => File.WriteAllText(Path.Combine(UserConfigHome, "kp", "kp.config.json"), json);

    private static JsonElement Json(Kp.Result r) => JsonDocument.Parse(Ok(r).Out).RootElement;

    private static JsonElement Error(Kp.Result r, int exit = 2)
    {
        Assert.True(r.ExitCode == exit, r.ToString());
        Assert.Equal("", r.Out);
        return JsonDocument.Parse(r.Err).RootElement.GetProperty("error");
    }

    [Theory]
    [InlineData("""{"accounts": {"gov": {"index": 0, "mnemonic": "test test test"}}}""", "accounts.gov.mnemonic")]
    [InlineData("""{"accounts": {"gov": {"keystore": "k.json", "password": "hunter2"}}}""", "accounts.gov.password")]
    [InlineData("""{"privateKey": "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"}""", "privateKey")]
    [InlineData("""{"networks": {"besu": {"rpc": "http://x:1", "secret": "s"}}}""", "networks.besu.secret")]
    public async Task A_secret_in_the_configuration_is_refused_naming_where_it_is(string config, string field)
    {
        WriteProject(config);
        var e = Error(await KpIn(Deep).RunAsync("config", "show", "--json"));
        Assert.Equal("usage", e.GetProperty("code").GetString());
        Assert.Equal(field, e.GetProperty("field").GetString());
        Assert.Contains("secrets never go in kp's configuration", e.GetProperty("message").GetString());
        Assert.DoesNotContain("hunter2", e.GetProperty("message").GetString()); // the secret itself is never echoed
    }

    [Theory]
    [InlineData("""{"acounts": {}}""", "acounts", "unknown field")]
    [InlineData("""{"accounts": {"gov": {"index": "zero"}}}""", "accounts.gov.index", "wrong type")]
    [InlineData("""{"accounts": {"gov": {"index": 1, "keystore": "k.json"}}}""", "accounts.gov", "exactly one of index or keystore")]
    [InlineData("""{"accounts": {"gov": {"index": -3}}}""", "accounts.gov.index", "0 or more")]
    [InlineData("""{"accounts": {"9lives": {"index": 3}}}""", "accounts.9lives", "an account name")]
    [InlineData("""{"networks": {"besu": {}}}""", "networks.besu", "give rpc, deployment or both")]
    [InlineData("""{"network": "a", "network": "b"}""", "network", "given twice")]
    [InlineData("""[1, 2]""", null, "must be a JSON object")]
    public async Task A_malformed_configuration_is_a_usage_error_naming_the_file_and_the_field(string config, string? field, string problem)
    {
        WriteProject(config);
        var e = Error(await KpIn(Deep).RunAsync("account", "list", "--json"));
        var message = e.GetProperty("message").GetString()!;
        Assert.StartsWith(Path.Combine(Project, "kp.config.json"), message);
        Assert.Contains(problem, message);
        if (field is not null) Assert.Equal(field, e.GetProperty("field").GetString());
    }

    [Fact]
    public async Task The_nearest_project_file_wins_over_the_users_and_both_are_merged_by_name()
    {
        WriteUser("""{"network": "besu", "account": "gov", "networks": {"besu": {"rpc": "http://10.0.0.5:8545"}, "local": {"rpc": "http://127.0.0.1:1"}}, "accounts": {"gov": {"index": 0}, "ops": {"index": 9}}}""");
        WriteProject("""{"networks": {"local": {"rpc": "http://127.0.0.1:2"}}, "accounts": {"gov": {"index": 4}}}""");
        var show = Json(await KpIn(Deep).RunAsync("config", "show", "--json"));
        Assert.Equal([Path.Combine(Project, "kp.config.json"), Path.Combine(UserConfigHome, "kp", "kp.config.json")],
            show.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("http://127.0.0.1:2", show.GetProperty("networks").GetProperty("local").GetProperty("rpc").GetString()); // the nearer file's
        Assert.Equal("http://10.0.0.5:8545", show.GetProperty("rpc").GetProperty("url").GetString()); // the user's default network
        Assert.Equal("besu", show.GetProperty("network").GetProperty("name").GetString());

        var accounts = Json(await KpIn(Deep).RunAsync("account", "list", "--json")).EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!);
        Assert.Equal(A(4), accounts["gov"].GetProperty("address").GetString()); // the project's index 4 over the user's 0
        Assert.Equal(A(9), accounts["ops"].GetProperty("address").GetString());
        Assert.True(accounts["gov"].GetProperty("isDefault").GetBoolean());
    }

    [Fact]
    public async Task A_flag_beats_a_variable_which_beats_the_file_and_each_setting_says_where_it_came_from()
    {
        WriteProject("""{"network": "lab", "networks": {"lab": {"rpc": "127.0.0.1:7001", "deployment": "deployments/lab.json"}}, "account": "gov", "accounts": {"gov": {"index": 1}}}""");
        var fromFile = Json(await KpIn(Deep).RunAsync("config", "show", "--json"));
        Assert.Equal("http://127.0.0.1:7001", fromFile.GetProperty("rpc").GetProperty("url").GetString()); // host:port means http://
        Assert.Contains("network 'lab'", fromFile.GetProperty("rpc").GetProperty("source").GetString());
        Assert.Equal(Path.Combine(Project, "deployments", "lab.json"), fromFile.GetProperty("deployment").GetProperty("path").GetString()); // relative to the file
        Assert.Equal("gov", fromFile.GetProperty("account").GetProperty("name").GetString());

        var env = new Dictionary<string, string?> { ["KP_RPC_URL"] = "http://127.0.0.1:7002", ["KP_ACCOUNT"] = "5" };
        var fromEnv = Json(await KpIn(Deep, env).RunAsync("config", "show", "--json"));
        Assert.Equal(("http://127.0.0.1:7002", "$KP_RPC_URL"), (fromEnv.GetProperty("rpc").GetProperty("url").GetString(), fromEnv.GetProperty("rpc").GetProperty("source").GetString()));
        Assert.Equal(("5", "$KP_ACCOUNT"), (fromEnv.GetProperty("account").GetProperty("name").GetString(), fromEnv.GetProperty("account").GetProperty("source").GetString()));

        var fromFlag = Json(await KpIn(Deep, env).RunAsync("config", "show", "--json", "--rpc", "http://127.0.0.1:7003", "--account", "gov"));
        Assert.Equal(("http://127.0.0.1:7003", "--rpc"), (fromFlag.GetProperty("rpc").GetProperty("url").GetString(), fromFlag.GetProperty("rpc").GetProperty("source").GetString()));
        Assert.Equal(("gov", "--account"), (fromFlag.GetProperty("account").GetProperty("name").GetString(), fromFlag.GetProperty("account").GetProperty("source").GetString()));
    }

    [Fact]
    public async Task An_unknown_network_or_account_is_a_usage_error_with_a_suggestion()
    {
        WriteProject("""{"networks": {"besu": {"rpc": "http://10.0.0.5:8545"}}, "accounts": {"bw-authority": {"index": 2}}}""");
        var network = Error(await KpIn(Deep).RunAsync("config", "show", "--json", "--network", "bseu"));
        Assert.Equal("--network", network.GetProperty("field").GetString());
        Assert.Contains("did you mean 'besu'?", network.GetProperty("message").GetString());

        var account = Error(await KpIn(Deep).RunAsync("whoami", "--json", "--account", "bw-autority", "--rpc", "http://127.0.0.1:1", "--registry", A(0)));
        Assert.Equal("--account", account.GetProperty("field").GetString());
        var people = await KpIn(Deep).RunAsync("whoami", "--account", "bw-autority", "--rpc", "http://127.0.0.1:1", "--registry", A(0));
        Assert.Equal(2, people.ExitCode);
        Assert.Contains("did you mean 'bw-authority'?", people.Err);
        Assert.Contains("configured accounts: bw-authority", people.Err);
    }

    [Fact]
    public async Task Account_add_writes_references_only_and_the_named_account_resolves_to_its_key()
    {
        var keystore = Path.Combine(Project, "keys", "bw.json");
        Directory.CreateDirectory(Path.GetDirectoryName(keystore)!);
        File.WriteAllText(keystore, Mnemonic.Parse(Mnemonic.DevelopmentPhrase).Account(3).ToKeystore("s3cret-pw"));
        Ok(await KpIn(Project).RunAsync("account", "add", "miner", "--index", "6", "--role", "BW miner", "--default"));
        Ok(await KpIn(Deep).RunAsync("account", "add", "bw", "--keystore", keystore, "--password-variable", "BW_PASSWORD")); // written to the nearest file, upwards
        var file = File.ReadAllText(Path.Combine(Project, "kp.config.json"));
        Assert.DoesNotContain("s3cret-pw", file, StringComparison.Ordinal);
        Assert.Contains("\"keystore\": \"keys/bw.json\"", file); // relative to the file, so the folder can move
        Assert.False(File.Exists(Path.Combine(Deep, "kp.config.json")));

        var list = Json(await KpIn(Deep).RunAsync("account", "list", "--json")).EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!);
        Assert.Equal(A(6), list["miner"].GetProperty("address").GetString());
        Assert.Equal(A(3), list["bw"].GetProperty("address").GetString()); // read from the keystore's public address field, without its password
        Assert.True(list["miner"].GetProperty("isDefault").GetBoolean());

        var noPassword = Error(await KpIn(Deep).RunAsync("whoami", "--json", "--account", "bw", "--rpc", "http://127.0.0.1:1", "--registry", A(0)));
        Assert.Equal("account", noPassword.GetProperty("code").GetString());
        Assert.Contains("$BW_PASSWORD", noPassword.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(new[] { "account", "add", "x y", "--index", "1" }, "name")]
    [InlineData(new[] { "account", "add", "x", "--index", "1", "--keystore", "k.json" }, "--index")]
    [InlineData(new[] { "account", "add", "x" }, "--index")]
    [InlineData(new[] { "account", "add", "x", "--keystore", "missing.json" }, "--keystore")]
    [InlineData(new[] { "network", "add", "n" }, "--rpc")]
    [InlineData(new[] { "network", "add", "n", "--rpc", "ftp://x" }, "--rpc")]
    [InlineData(new[] { "config", "show", "--account", "-2" }, "--account")]
    [InlineData(new[] { "config", "show", "--account", "bw authority" }, "--account")]
    [InlineData(new[] { "config", "show", "--account", "4294967296" }, "--account")]
    public async Task Bad_configuration_commands_name_the_option(string[] args, string field)
    {
        var r = await KpIn(Project).RunAsync([.. args, "--json"]);
        Assert.Equal(field, Error(r).GetProperty("field").GetString());
        Assert.False(File.Exists(Path.Combine(Project, "kp.config.json")), "nothing written on a refusal");
    }

    [Fact]
    public async Task A_configured_keystore_that_is_missing_is_named_with_its_account()
    {
        WriteProject("""{"account": "bw", "accounts": {"bw": {"keystore": "keys/bw.json"}}}""");
        var human = await KpIn(Project).RunAsync("whoami");
        Assert.Equal(2, human.ExitCode);
        Assert.Contains($"account 'bw' ({Path.Combine(Project, "kp.config.json")}): its keystore {Path.Combine(Project, "keys", "bw.json")} does not exist", human.Err);
        var json = Error(await KpIn(Project).RunAsync("whoami", "--json"));
        Assert.StartsWith("account 'bw'", json.GetProperty("field").GetString());
        var option = Error(await KpIn(Project).RunAsync("whoami", "--keystore", "nothere.json", "--json"));
        Assert.Equal("--keystore", option.GetProperty("field").GetString());
        Assert.StartsWith("--keystore: ", option.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Outside_a_checkout_kp_keeps_its_files_in_the_users_data_folder()
    {
        var env = new Dictionary<string, string?> { ["KP_HOME"] = null, ["XDG_DATA_HOME"] = Path.Combine(_root, "data") };
        var show = Json(await KpIn(Deep, env).RunAsync("config", "show", "--json"));
        Assert.Equal(Path.Combine(_root, "data", "kp", "deployment.json"), show.GetProperty("deployment").GetProperty("path").GetString());
        Assert.False(show.GetProperty("deployment").GetProperty("exists").GetBoolean());
        Assert.False(show.TryGetProperty("rpc", out _)); // no chain named anywhere: none guessed
    }

    [Theory]
    [InlineData("mnemonic")]
    [InlineData("key")]
    [InlineData("password")]
    public async Task An_account_may_be_called_like_a_secret_field_and_the_file_stays_readable(string name)
    {
        Ok(await KpIn(Project).RunAsync("account", "add", name, "--index", "3"));
        var list = Json(await KpIn(Project).RunAsync("account", "list", "--json"));
        Assert.Equal(A(3), list.EnumerateArray().Single(a => a.GetProperty("name").GetString() == name).GetProperty("address").GetString());
        WriteProject("{\"accounts\": {\"" + name + "\": {\"index\": 3, \"" + name + "\": \"x\"}}}"); // a field of that name inside is still a secret
        Assert.Equal($"accounts.{name}.{name}", Error(await KpIn(Project).RunAsync("account", "list", "--json")).GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("a\u001b[31mred")]
    [InlineData("two\nlines")]
    public async Task A_role_with_control_characters_or_too_long_is_refused_and_nothing_is_written(string role)
    {
        Assert.Equal("--role", Error(await KpIn(Project).RunAsync("account", "add", "x", "--index", "1", "--role", role, "--json")).GetProperty("field").GetString());
        Assert.Equal("--role", Error(await KpIn(Project).RunAsync("account", "add", "x", "--index", "1", "--role", new string('r', 201), "--json")).GetProperty("field").GetString());
        Assert.False(File.Exists(Path.Combine(Project, "kp.config.json")));
        WriteProject("{\"accounts\": {\"x\": {\"index\": 1, \"role\": " + JsonSerializer.Serialize(role) + "}}}"); // hand-edited: refused on reading too
        Assert.Equal("accounts.x.role", Error(await KpIn(Project).RunAsync("account", "list", "--json")).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Adding_an_account_or_network_that_exists_needs_force_and_keeps_the_rest_of_the_file()
    {
        Ok(await KpIn(Project).RunAsync("network", "add", "lab", "--rpc", "127.0.0.1:7001", "--default"));
        Ok(await KpIn(Project).RunAsync("account", "add", "ops", "--index", "1"));
        Assert.Equal("--force", Error(await KpIn(Project).RunAsync("account", "add", "ops", "--index", "2", "--json")).GetProperty("field").GetString());
        Assert.Equal("--force", Error(await KpIn(Project).RunAsync("network", "add", "lab", "--rpc", "127.0.0.1:7002", "--json")).GetProperty("field").GetString());
        Ok(await KpIn(Project).RunAsync("account", "add", "ops", "--index", "2", "--force"));
        var show = Json(await KpIn(Project).RunAsync("config", "show", "--json"));
        Assert.Equal(2, show.GetProperty("accounts").GetProperty("ops").GetProperty("index").GetInt32());
        Assert.Equal("http://127.0.0.1:7001", show.GetProperty("rpc").GetProperty("url").GetString()); // the network and the default survived
    }

    [Fact]
    public async Task A_folder_where_the_configuration_should_be_is_refused_not_skipped()
    {
        Directory.CreateDirectory(Path.Combine(Project, "kp.config.json"));
        Assert.Equal(2, (await KpIn(Deep).RunAsync("config", "show", "--json")).ExitCode);
        var folder = Error(await KpIn(_root, new() { ["KP_CONFIG"] = Project }).RunAsync("config", "show", "--json"));
        Assert.Equal("KP_CONFIG", folder.GetProperty("field").GetString());
        Assert.Contains("is a folder", folder.GetProperty("message").GetString());
    }

    [Fact]
    public async Task KP_ACCOUNT_is_checked_as_account_is()
    {
        var e = Error(await KpIn(Project, new() { ["KP_ACCOUNT"] = "../x" }).RunAsync("whoami", "--json", "--rpc", "http://127.0.0.1:1", "--registry", A(0)));
        Assert.Equal("KP_ACCOUNT", e.GetProperty("field").GetString());
        Assert.Contains("neither an account name", e.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_password_in_an_endpoint_is_never_printed()
    {
        WriteProject("""{"network": "lab", "networks": {"lab": {"rpc": "https://ops:s3cret@node.example:8545"}}}""");
        var people = Ok(await KpIn(Project).RunAsync("config", "show")).Out;
        var machines = Ok(await KpIn(Project).RunAsync("config", "show", "--json")).Out;
        var networks = Ok(await KpIn(Project).RunAsync("network", "list")).Out;
        var unreachable = await KpIn(Project).RunAsync("whoami", "--rpc", "http://ops:s3cret@127.0.0.1:1", "--registry", A(0));
        foreach (var text in new[] { people, machines, networks, unreachable.Err })
        {
            Assert.DoesNotContain("s3cret", text);
        }
        Assert.Contains("https://***@node.example:8545", people);
    }
}
