using System.CommandLine;
using System.Text.Json;
using Nethereum.Util;
using Traceability.Chain.Accounts;
using Traceability.Chain.Connection;
using Traceability.Cli.Configuration;
using Traceability.Cli.Infrastructure;

namespace Traceability.Cli.Commands;

/// <summary>kp config show, kp account list|add, kp network list|add, kp whoami: what is in effect and who kp sends as.</summary>
internal static class ConfigCommands
{
    public static Command Config(CommandRunner run)
    {
        var command = new Command("config", "kp's configuration: named networks and accounts in kp.config.json (nearest from here upwards, then ~/.config/kp/)\nExample: kp config show");
        var show = new Command("show", "print the settings in effect and where each comes from (a flag, a variable, a file, a default)\nExample: kp config show --network local");
        run.Bind(show, ctx =>
        {
            var s = ctx.Settings;
            var rpc = SafeRpc(ctx);
            var account = ctx.AccountName;
            var fields = new List<(string, string)>
            {
                ("config files", s.Files.Count == 0 ? $"none (kp looks for {ConfigFile.FileName} here and upwards, then {KpHome.UserConfigPath(ctx.Env)})" : string.Join(", ", s.Files.Select(f => f.Path))),
                ("kp home", $"{ctx.Home.Path}  ({ctx.Home.Source})"),
                ("network", ctx.NetworkName is { } n ? $"{n.Value}  ({n.Source})" : "none named"),
                ("rpc", rpc is { } r ? $"{RpcEndpoint.Redact(r.Value)}  ({r.Source})" : "none (give --rpc or --network, or deploy)"),
                ("deployment", $"{ctx.DeploymentPath}  ({ctx.DeploymentSetting.Source}){(File.Exists(ctx.DeploymentPath) ? "" : ", not there yet")}"),
                ("account", $"{account.Value}  ({account.Source})"),
            };
            if (ctx.Json)
            {
                Output.WriteJson(ctx.Out, new
                {
                    files = s.Files.Select(f => f.Path),
                    home = new { path = ctx.Home.Path, source = ctx.Home.Source },
                    network = ctx.NetworkName is { } nn ? new { name = nn.Value, source = nn.Source } : null,
                    rpc = rpc is { } rr ? new { url = RpcEndpoint.Redact(rr.Value), source = rr.Source } : null,
                    deployment = new { path = ctx.DeploymentPath, source = ctx.DeploymentSetting.Source, exists = File.Exists(ctx.DeploymentPath) },
                    account = new { name = account.Value, source = account.Source },
                    networks = s.Networks.ToDictionary(kv => kv.Key, kv => new { rpc = kv.Value.Value.Rpc is { } nr ? RpcEndpoint.Redact(nr) : null, kv.Value.Value.Deployment, file = kv.Value.Source }),
                    accounts = s.Accounts.ToDictionary(kv => kv.Key, kv => new { kv.Value.Value.Index, kv.Value.Value.Keystore, kv.Value.Value.Role, file = kv.Value.Source }),
                });
            }
            else Output.WriteFields(ctx.Out, fields);
            return Task.FromResult(ExitCodes.Ok);
        });
        command.Subcommands.Add(show);
        return command;
    }

    public static Command Account(CommandRunner run)
    {
        var command = new Command("account", "named accounts (roles) of kp.config.json: a keystore file or an index of $KP_MNEMONIC, never a secret\nExample: kp account list");
        var list = new Command("list", "the configured accounts, their addresses and which is the default\nExample: kp account list");
        run.Bind(list, ctx =>
        {
            var def = ctx.AccountName.Value;
            var rows = ctx.Settings.Accounts.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new
            {
                name = a.Key,
                isDefault = a.Key == def,
                role = a.Value.Value.Role,
                source = a.Value.Value.Keystore is { } k ? "keystore" : "mnemonic",
                index = a.Value.Value.Index,
                keystore = a.Value.Value.Keystore is { } ks ? KpSettings.Resolve(ks, a.Value.Source) : null,
                address = AddressOf(ctx, a.Value),
                file = a.Value.Source,
            }).ToList();
            if (ctx.Json) Output.WriteJson(ctx.Out, rows);
            else if (rows.Count == 0) ctx.Out.WriteLine($"no named accounts; add one with `kp account add NAME --index N` (or --keystore FILE); --account N still picks index N of $KP_MNEMONIC");
            else
            {
                Output.WriteTable(ctx.Out, ["NAME", "ADDRESS", "KEY", "ROLE"], rows.Select(r => (IReadOnlyList<string>)[(r.isDefault ? "* " : "  ") + r.name, r.address ?? "?",
                    r.keystore is { } k ? "keystore " + k : $"index {r.index} of {(string.IsNullOrWhiteSpace(ctx.Env(AccountSource.MnemonicVariable)) ? "the dev test phrase" : "$KP_MNEMONIC")}", r.role ?? ""]));
            }
            return Task.FromResult(ExitCodes.Ok);
        });

        var name = new Argument<string>("name") { Description = "the account's name (letters, digits, '-', '_', '.')" };
        var index = StrictOptions.Integer("--index", "index N of $KP_MNEMONIC (on a dev chain, of the public test phrase)", 0, int.MaxValue, 0).NoDefaultInHelp();
        var keystore = new Option<FileInfo?>("--keystore") { Description = "an encrypted JSON keystore file (its password stays in an environment variable)" };
        var passwordVariable = new Option<string?>("--password-variable") { Description = "the environment variable holding the keystore's password (default KP_KEYSTORE_PASSWORD)" };
        var role = new Option<string?>("--role") { Description = $"what the account is for, shown by kp account list (e.g. \"BW authority\"; at most {ConfigFile.MaxRoleLength} characters)" };
        var force = new Option<bool>("--force") { Description = "replace an account of that name" };
        var makeDefault = new Option<bool>("--default") { Description = "make it the account used when no --account is given" };
        var user = new Option<bool>("--user") { Description = "write to the user's configuration (~/.config/kp/) instead of the project's kp.config.json" };
        var add = new Command("add", "name an account in kp.config.json (the nearest one, else a new one here)\n"
            + "Example: kp account add bw-authority --index 2 --role \"BW authority\"\nExample: kp account add ae-office --keystore keys/ae.json --password-variable AE_PASSWORD")
            { name, index, keystore, passwordVariable, role, makeDefault, user, force };
        run.Bind(add, ctx =>
        {
            var n = ctx.Parse.GetValue(name)!;
            if (!ConfigFile.IsName(n)) throw new CliUsageException($"name: '{n}' is not an account name: letters, digits, '-', '_' or '.', starting with a letter", "name");
            int? i = ctx.Parse.GetResult(index) is null ? null : ctx.Parse.GetValue(index);
            var k = ctx.Parse.GetValue(keystore);
            if ((i is null) == (k is null)) throw new CliUsageException("--index: give exactly one of --index N or --keystore FILE", "--index");
            if (ConfigFile.RoleProblem(ctx.Parse.GetValue(role)) is { } roleProblem) throw new CliUsageException($"--role: {roleProblem}", "--role");
            var pv = ctx.Parse.GetValue(passwordVariable);
            if (pv is not null && (k is null || !pv.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || pv.Length == 0))
            {
                throw new CliUsageException($"--password-variable: '{pv}' must name an environment variable (letters, digits, '_') and goes with --keystore", "--password-variable");
            }
            var file = TargetFile(ctx, ctx.Parse.GetValue(user));
            string? keystorePath = null;
            if (k is not null)
            {
                var full = Path.GetFullPath(k.ToString(), ctx.WorkingDirectory);
                InputFiles.RequireRegular(full, InputFiles.DeploymentBytes, "--keystore");
                if (KeystoreAddress(full) is null) throw new CliUsageException($"--keystore: {full} is not an encrypted JSON keystore (no address field)", "--keystore");
                keystorePath = Path.GetRelativePath(Path.GetDirectoryName(file)!, full);
            }
            var entry = new AccountConfig { Index = i, Keystore = keystorePath, PasswordVariable = pv, Role = ctx.Parse.GetValue(role) };
            var isDefault = Save(file, c => Fresh(c, c.Accounts, n, "account", file, ctx.Parse.GetValue(force)) with
            {
                Accounts = new Dictionary<string, AccountConfig>(c.Accounts, StringComparer.Ordinal) { [n] = entry },
                Account = ctx.Parse.GetValue(makeDefault) ? n : c.Account,
            }, c => c.Account == n);
            Written(ctx, "account", n, file, isDefault);
            return Task.FromResult(ExitCodes.Ok);
        });
        command.Subcommands.Add(list);
        command.Subcommands.Add(add);
        return command;
    }

    public static Command Network(CommandRunner run)
    {
        var command = new Command("network", "named networks of kp.config.json: an RPC endpoint and a deployment record\nExample: kp network list");
        var list = new Command("list", "the configured networks and which is the default\nExample: kp network list");
        run.Bind(list, ctx =>
        {
            var def = ctx.NetworkName?.Value;
            var rows = ctx.Settings.Networks.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => new
            {
                name = n.Key,
                isDefault = n.Key == def,
                rpc = n.Value.Value.Rpc is { } listed ? RpcEndpoint.Redact(listed) : null,
                deployment = n.Value.Value.Deployment is { } d ? KpSettings.Resolve(d, n.Value.Source) : null,
                file = n.Value.Source,
            }).ToList();
            if (ctx.Json) Output.WriteJson(ctx.Out, rows);
            else if (rows.Count == 0) ctx.Out.WriteLine("no named networks; add one with `kp network add NAME --rpc URL [--deployment FILE]`");
            else Output.WriteTable(ctx.Out, ["NAME", "RPC", "DEPLOYMENT"], rows.Select(r => (IReadOnlyList<string>)[(r.isDefault ? "* " : "  ") + r.name, r.rpc ?? "(the record's)", r.deployment ?? "(kp's home)"]));
            return Task.FromResult(ExitCodes.Ok);
        });
        var name = new Argument<string>("name") { Description = "the network's name (letters, digits, '-', '_', '.')" };
        var rpc = StrictOptions.Url("--rpc", "the node's JSON-RPC endpoint");
        var deployment = new Option<FileInfo?>("--deployment") { Description = "its deployment record (default: deployment-NAME.json in kp's home)" };
        var makeDefault = new Option<bool>("--default") { Description = "make it the network used when no --network is given" };
        var user = new Option<bool>("--user") { Description = "write to the user's configuration (~/.config/kp/) instead of the project's kp.config.json" };
        var force = new Option<bool>("--force") { Description = "replace a network of that name" };
        var add = new Command("add", "name a network in kp.config.json\nExample: kp network add besu --rpc http://10.0.0.5:8545 --deployment deployments/besu.json --default")
            { name, rpc, deployment, makeDefault, user, force };
        run.Bind(add, ctx =>
        {
            var n = ctx.Parse.GetValue(name)!;
            if (!ConfigFile.IsName(n)) throw new CliUsageException($"name: '{n}' is not a network name: letters, digits, '-', '_' or '.', starting with a letter", "name");
            var r = ctx.Parse.GetValue(rpc);
            var d = ctx.Parse.GetValue(deployment);
            if (r is null && d is null) throw new CliUsageException("--rpc: give --rpc, --deployment or both", "--rpc");
            var file = TargetFile(ctx, ctx.Parse.GetValue(user));
            var entry = new NetworkConfig { Rpc = r, Deployment = d is null ? null : Path.GetRelativePath(Path.GetDirectoryName(file)!, Path.GetFullPath(d.ToString(), ctx.WorkingDirectory)) };
            var isDefault = Save(file, c => Fresh(c, c.Networks, n, "network", file, ctx.Parse.GetValue(force)) with
            {
                Networks = new Dictionary<string, NetworkConfig>(c.Networks, StringComparer.Ordinal) { [n] = entry },
                Network = ctx.Parse.GetValue(makeDefault) ? n : c.Network,
            }, c => c.Network == n);
            Written(ctx, "network", n, file, isDefault);
            return Task.FromResult(ExitCodes.Ok);
        });
        command.Subcommands.Add(list);
        command.Subcommands.Add(add);
        return command;
    }

    public static Command WhoAmI(CommandRunner run)
    {
        var command = new Command("whoami", "the account kp sends as, on which chain and registry, and its roles there\nExample: kp whoami --account bw-authority");
        run.Bind(command, async ctx =>
        {
            var asked = ctx.AccountName;
            var source = ctx.AccountSource;
            var account = await ctx.AccountAsync();
            var reader = await ctx.ReaderAsync();
            var chainId = await ctx.Connection.ChainIdAsync();
            var authorityOf = await reader.AuthorityOfAsync(account.Address);
            var member = await reader.MemberOfAsync(account.Address);
            var governor = (await reader.QueryAsync<Traceability.Chain.Registry.DefaultAdminFunction, Traceability.Chain.Registry.AddressOutput>(new())).Value;
            var roles = new List<string>();
            if (string.Equals(governor, account.Address, StringComparison.OrdinalIgnoreCase)) roles.Add("governance");
            if (authorityOf is { } a) roles.Add($"authority of {a.Value}");
            if (member.Participant is { } m) roles.Add($"{(member.Active ? "member" : "removed member")} of {m.Value}");
            var key = source.KeystorePath is { } k ? $"keystore {k}" : $"index {source.Index} of {(string.IsNullOrWhiteSpace(source.Mnemonic) ? "the dev test phrase" : "$KP_MNEMONIC")}";
            if (ctx.Json)
            {
                Output.WriteJson(ctx.Out, new
                {
                    account = asked.Value,
                    source = asked.Source,
                    address = account.Address,
                    keySource = source.KeystorePath is not null ? "keystore" : string.IsNullOrWhiteSpace(source.Mnemonic) ? "devPhrase" : "mnemonic",
                    keystore = source.KeystorePath,
                    index = source.KeystorePath is null ? source.Index : (int?)null,
                    chainId = (long)chainId,
                    rpc = RpcEndpoint.Redact(ctx.RpcUrl),
                    registry = ctx.RegistryAddress,
                    governance = roles.Contains("governance"),
                    authorityOf = authorityOf?.Value,
                    memberOf = member.Participant?.Value,
                    memberActive = member.Participant is null ? (bool?)null : member.Active,
                });
            }
            else
            {
                Output.WriteFields(ctx.Out, [("account", $"{asked.Value}  ({asked.Source})"), ("address", account.Address), ("key", key),
                    ("chain", $"{chainId} via {RpcEndpoint.Redact(ctx.RpcUrl)}"), ("registry", ctx.RegistryAddress), ("roles", roles.Count == 0 ? "none on this registry" : string.Join(", ", roles))]);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    // the RPC setting without failing on a missing deployment (kp config show reports, it does not need a chain)
    private static Setting<string>? SafeRpc(CliContext ctx)
    {
        try
        {
            return ctx.RpcSetting;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    // an existing name is replaced only with --force: renaming a signing identity silently would send as another account
    private static KpConfig Fresh<T>(KpConfig config, IReadOnlyDictionary<string, T> existing, string name, string what, string file, bool force) =>
        existing.ContainsKey(name) && !force
            ? throw new CliUsageException($"--force: {file} already has {what} '{name}'; give --force to replace it", "--force")
            : config;

    // reads the file (or starts one), changes it, writes it through a rename; returns whether the entry is the default
    private static bool Save(string file, Func<KpConfig, KpConfig> change, Func<KpConfig, bool> isDefault)
    {
        var config = change(File.Exists(file) ? ConfigFile.Read(file) : new KpConfig());
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        ConfigFile.Write(file, config);
        return isDefault(config);
    }

    private static void Written(CliContext ctx, string what, string name, string file, bool isDefault)
    {
        if (ctx.Json) Output.WriteJson(ctx.Out, new { name, file, isDefault });
        else ctx.Out.WriteLine($"✓ {what} '{name}' written to {file}{(isDefault ? " (the default)" : "")}; use it with --{what} {name}");
    }

    private static string TargetFile(CliContext ctx, bool user) =>
        user ? KpHome.UserConfigPath(ctx.Env) : ctx.Settings.ProjectFile ?? Path.Combine(ctx.WorkingDirectory, ConfigFile.FileName);

    private static string? AddressOf(CliContext ctx, Setting<AccountConfig> a)
    {
        if (a.Value.Keystore is { } k) return KeystoreAddress(KpSettings.Resolve(k, a.Source));
        var phrase = ctx.Env(AccountSource.MnemonicVariable);
        try
        {
            return Mnemonic.Parse(string.IsNullOrWhiteSpace(phrase) ? Mnemonic.DevelopmentPhrase : phrase).Account(a.Value.Index!.Value).Address;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string? KeystoreAddress(string path)
    {
        try
        {
            if (!File.Exists(path) || new FileInfo(path).Length > InputFiles.DeploymentBytes) return null;
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.TryGetProperty("address", out var addr) && addr.GetString() is { Length: 40 or 42 } s
                ? AddressUtil.Current.ConvertToChecksumAddress(s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? s : "0x" + s) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
