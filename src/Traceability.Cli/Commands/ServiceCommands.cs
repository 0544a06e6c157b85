using System.CommandLine;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Traceability.Chain.Connection;
using Traceability.Cli.Infrastructure;
using Traceability.Core.Records;
using Traceability.Service;
using Traceability.Service.Anchoring;
using Traceability.Service.Hosting;
using Traceability.Service.Store;

namespace Traceability.Cli.Commands;

/// <summary>kp serve, kp submit, kp status: the anchoring service and its store.</summary>
internal static class ServiceCommands
{
    /// <summary>--service-dir, shared by serve, submit and status.</summary>
    public static Option<DirectoryInfo?> ServiceDir() => new("--service-dir")
    {
        Description = "the service's folder: store.db, inbox/ (the drop folder), rejected/ (default: $KP_SERVICE_DIR, else service/ beside the deployment record)",
    };

    public static ServiceLayout Layout(CliContext ctx, Option<DirectoryInfo?> option) =>
        new(ctx.Parse.GetValue(option)?.FullName ?? ctx.Env("KP_SERVICE_DIR") ?? Path.Combine(Path.GetDirectoryName(ctx.DeploymentPath)!, "service"));

    public static Command Serve(CommandRunner run)
    {
        var dir = ServiceDir();
        var batch = StrictOptions.Integer("--max-batch", "most records per transaction (1-600)", 1, 600, 500);
        var delay = StrictOptions.Integer("--max-delay-ms", "longest a record waits for its batch to fill (0-600000)", 0, 600_000, 250);
        var http = StrictOptions.Port("--http-port", "loopback port for GET /health and /status (0: none)", 0, zeroMeans: "none");
        var command = new Command("serve", "run the anchoring service until stopped (Ctrl+C or SIGTERM)\nExample: kp serve --max-batch 500 --http-port 8090") { dir, batch, delay, http };
        run.Bind(command, async ctx =>
        {
            var layout = Layout(ctx, dir);
            var settings = Settings(ctx, layout.Directory);
            settings["Anchoring:MaxBatchSize"] = ctx.Parse.GetValue(batch).ToString(CultureInfo.InvariantCulture);
            settings["Anchoring:MaxBatchDelayMs"] = ctx.Parse.GetValue(delay).ToString(CultureInfo.InvariantCulture);
            settings["Anchoring:HttpPort"] = ctx.Parse.GetValue(http).ToString(CultureInfo.InvariantCulture);
            try
            {
                // on the Besu-like node kp chain up started, the service signs with the phrase kp would (see CliContext.DevelopmentPhraseAsync)
                var source = ctx.AccountSource;
                var phrase = ctx.RpcSetting is null ? null : (await ctx.DevelopmentPhraseAsync(ctx.Rpc, source)).Mnemonic;
                Func<string, string?>? environment = phrase is null || phrase == source.Mnemonic ? null : name => name == AccountSource.MnemonicVariable ? phrase : Environment.GetEnvironmentVariable(name);
                using var host = ServiceHost.Build([], settings, holder: "kp serve", environment: environment);
                var state = host.Services.GetRequiredService<ServiceState>(); // before the run: RunAsync disposes the host
                ctx.Err.WriteLine($"anchoring service: drop documents into {layout.Inbox} (write, then rename to *.json); Ctrl+C stops");
                await host.RunAsync();
                if (state.Fatal is { } why) ctx.Err.WriteLine($"error: the anchoring service stopped: {why}");
                return state.ExitCode;
            }
            catch (OptionsValidationException e)
            {
                throw new CliUsageException("invalid service settings: " + string.Join("; ", e.Failures));
            }
            catch (ServiceStartException e)
            {
                throw new CliEnvironmentException(e.Message);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliEnvironmentException($"the service folder {layout.Directory} cannot be used: {e.Message}");
            }
        });
        return command;
    }

    /// <summary>Service settings from kp's global options.</summary>
    public static Dictionary<string, string?> Settings(CliContext ctx, string serviceDirectory)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Anchoring:ServiceDirectory"] = serviceDirectory,
            ["Anchoring:Fees"] = ctx.Parse.GetValue(GlobalOptions.Fees).ToString(),
            ["Anchoring:Confirmations"] = Math.Max(1, ctx.Parse.GetValue(GlobalOptions.Confirmations)).ToString(CultureInfo.InvariantCulture),
        };
        var account = ctx.AccountSource; // a remote signer, --keystore, a named account or an index; checked files only
        if (account.SignerUrl is { } signer)
        {
            settings["Anchoring:SignerUrl"] = signer;
            settings["Anchoring:SignerAccount"] = account.SignerAccount;
            settings["Anchoring:SignerTimeoutSeconds"] = ((int)account.SignerTimeout!.Value.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }
        else if (account.KeystorePath is { } k)
        {
            settings["Anchoring:KeystorePath"] = k;
            settings["Anchoring:KeystorePasswordVariable"] = account.PasswordVariable; // a named account's own variable (the name only)
        }
        else settings["Anchoring:AccountIndex"] = account.Index.ToString(CultureInfo.InvariantCulture);
        if (File.Exists(ctx.DeploymentPath) && ctx.Deployment is not null) settings["Anchoring:DeploymentPath"] = ctx.DeploymentPath; // read through kp's checks: never a FIFO or a device
        if ((ctx.Parse.GetValue(GlobalOptions.Rpc) ?? ctx.Env("KP_RPC_URL")) is { } rpc) settings["Anchoring:RpcUrl"] = rpc;
        if (ctx.Parse.GetValue(GlobalOptions.Registry) is { } reg) settings["Anchoring:RegistryAddress"] = reg;
        else if (settings.ContainsKey("Anchoring:RpcUrl") && ctx.Deployment is { } d) settings["Anchoring:RegistryAddress"] = d.Address;
        return settings;
    }

    public static Command Submit(CommandRunner run)
    {
        var dir = ServiceDir();
        var files = new Argument<FileInfo[]>("documents") { Description = "record documents to anchor", Arity = ArgumentArity.OneOrMore };
        var command = new Command("submit", "hand documents to the anchoring service: stored durably at once, anchored when the service runs\nExample: kp submit p1.json p2.json") { files, dir };
        run.Bind(command, async ctx =>
        {
            var layout = Layout(ctx, dir);
            var identity = SubmitIdentity(ctx);
            if (identity is not null)
            {
                // the same deployment check as every write; a node that is down does not stop the hand-over (the service checks again before it anchors)
                try
                {
                    await ctx.EnsureDeploymentAsync();
                }
                catch (Chain.Rpc.ChainUnavailableException e)
                {
                    ctx.Err.WriteLine($"note: {e.Message}; stored anyway: the service checks the deployment before it anchors");
                }
            }
            using var store = new RecordStore(layout.StorePath);
            // a store holds one deployment's records: refuse to mix in documents meant for another
            // (submit goes straight into the store, beside a running service: see the README's design notes)
            try
            {
                ServiceFolder.Bind(store, identity, layout.Directory);
            }
            catch (ServiceStartException e)
            {
                throw new CliEnvironmentException(e.Message.Replace("this service is set up for", "kp is pointed at", StringComparison.Ordinal));
            }
            var rejectedArea = new RejectedArea(layout.Rejected);
            var results = new List<object>();
            var anyRejected = false;
            foreach (var f in ctx.Parse.GetValue(files)!)
            {
                var length = InputFiles.Length(f.FullName, "document"); // a regular file only: never a FIFO or a device
                var incoming = length > Core.Json.RecordJson.MaxDocumentBytes
                    ? new IncomingDocument("kp submit:" + f.Name, Encoding.UTF8.GetBytes($"(a document of {length:N0} bytes, over the limit: not kept)"),
                        ("size", "document", $"the document is {length:N0} bytes; a document may have at most {Core.Json.RecordJson.MaxDocumentBytes:N0}"))
                    : new IncomingDocument("kp submit:" + f.Name, InputFiles.ReadBytes(f.FullName, InputFiles.DocumentBytes, "document"));
                var (id, isNew) = store.Receive([incoming], resubmission: true)[0];
                var stored = store.ById(id)!;
                var v = stored.Stage == RecordStage.Rejected ? new Validation(null, stored.Rule, stored.Field, stored.Reason) : RecordValidator.Validate(stored, DateTimeOffset.UtcNow);
                if (stored.Stage == RecordStage.Rejected && isNew) rejectedArea.Write(stored, stored.Rule!, stored.Field!, stored.Reason!, null);
                else if (!v.IsValid && isNew)
                {
                    rejectedArea.Write(stored, v.Rule!, v.Field!, v.Reason!, v.Record?.Hash().ToString());
                    store.Reject([new Rejection(id, v.Record?.Kind, v.Record?.Hash(), v.Rule!, v.Field!, v.Reason!)]);
                }
                var now = store.ById(id)!;
                anyRejected |= now.Stage == RecordStage.Rejected;
                results.Add(new { file = f.Name, id, isNew, status = now.Stage.ToText(), hash = v.Record?.Hash().ToString(), rule = now.Rule, field = now.Field, reason = now.Reason });
                if (!ctx.Json)
                {
                    if (now.Stage == RecordStage.Rejected) ctx.Err.WriteLine($"✗ {f.Name}: rejected (#{id}): {now.Field}: {now.Reason} [{now.Rule}]");
                    else ctx.Out.WriteLine($"✓ {f.Name}: {(isNew ? "stored" : "already stored")} as #{id} ({now.Stage.ToText()}); the service anchors it");
                }
            }
            if (ctx.Json) Output.WriteJson(ctx.Out, results);
            return anyRejected ? ExitCodes.BadInput : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The deployment kp is pointed at, for kp submit (null when it points at none).</summary>
    private static DeploymentIdentity? SubmitIdentity(CliContext ctx) => DeploymentIdentity.Of(ctx.Deployment, ctx.Parse.GetValue(GlobalOptions.Registry));

    public static Command Status(CommandRunner run)
    {
        var dir = ServiceDir();
        var hash = new Argument<string?>("hash") { Description = "a record hash: where is it?", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("status", "the anchoring service's counts, or where one record is (its stage, and its whole transaction hash once sent)\n"
            + "Example: kp status 0x<record hash>") { hash, dir };
        run.Bind(command, ctx =>
        {
            if (ctx.Parse.GetValue(hash) is { } asked && !Core.Primitives.Hash32.TryParse(asked, out _))
            {
                throw new CliUsageException($"hash: '{asked}' is not a record hash: 0x followed by 64 hex digits");
            }
            var path = Layout(ctx, dir).StorePath;
            if (!File.Exists(path)) throw new CliEnvironmentException($"no service store at {path}: start kp serve, or give --service-dir");
            using var store = new RecordStore(path);
            if (ctx.Parse.GetValue(hash) is { } h)
            {
                var rows = store.ByHash(h);
                if (ctx.Json) Output.WriteJson(ctx.Out, rows.Select(r => new { r.Id, r.Source, Status = r.Stage.ToText(), Kind = r.RecordKind?.ToJsonName(), RecordHash = r.Hash?.ToString(), r.TransactionHash, r.BlockNumber, r.Rule, r.Field, r.Reason }));
                else if (rows.Count == 0) ctx.Out.WriteLine($"no record with hash {h} was received");
                else Output.WriteTable(ctx.Out, ["ID", "SOURCE", "STATUS", "TRANSACTION", "BLOCK", "REASON"],
                    rows.Select(r => (IReadOnlyList<string>)[r.Id.ToString(CultureInfo.InvariantCulture), r.Source, r.Stage.ToText(), r.TransactionHash ?? "", r.BlockNumber?.ToString(CultureInfo.InvariantCulture) ?? "", r.Reason is null ? "" : $"{r.Field}: {r.Reason} [{r.Rule}]"]));
                return Task.FromResult(rows.Count == 0 ? ExitCodes.NotVerified : ExitCodes.Ok);
            }
            var counts = store.Counts().ToDictionary(c => c.Key.ToText(), c => c.Value);
            var (gas, records, batches) = store.ConfirmedGas();
            if (ctx.Json) Output.WriteJson(ctx.Out, new { counts, batches, gasPerRecord = records == 0 ? 0 : gas / records });
            else
            {
                Output.WriteTable(ctx.Out, ["STATUS", "RECORDS"], counts.Select(c => (IReadOnlyList<string>)[c.Key, c.Value.ToString("N0", CultureInfo.InvariantCulture)]));
                ctx.Out.WriteLine($"{batches} batch transaction(s){(records > 0 ? $", {gas / records:N0} gas per record" : "")}");
            }
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
