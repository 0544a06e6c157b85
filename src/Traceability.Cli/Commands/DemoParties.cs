using System.Diagnostics;
using System.Globalization;
using Traceability.Cli.Infrastructure;
using Traceability.Lab.DevChain;
using Traceability.Lab.Parties;

namespace Traceability.Cli.Commands;

/// <summary>kp demo --parties: many parties, one chain (the run is <see cref="PartyRun"/>; each party's service is a kp serve process).</summary>
internal static class DemoParties
{
    /// <summary>Starts a party's service as <c>kp serve</c>, a process of its own: this kp's own dll, its folder and account, nothing from kp's configuration.</summary>
    public static ProcessStartInfo KpServe(PartyServiceStart s)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = s.ServiceDirectory };
        Directory.CreateDirectory(s.ServiceDirectory);
        foreach (var a in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "kp.dll"), "serve", "--deployment", s.DeploymentPath, "--account", s.Party.AccountIndex.ToString(CultureInfo.InvariantCulture),
            "--service-dir", s.ServiceDirectory, "--max-batch", s.MaxBatch.ToString(CultureInfo.InvariantCulture), "--max-delay-ms", s.MaxDelayMs.ToString(CultureInfo.InvariantCulture),
        })
        {
            psi.ArgumentList.Add(a);
        }
        // the party's own settings only: no KP_ variable of the user's shell (another account, network, signer or service setting) reaches it
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("KP_", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(name);
        foreach (var (k, v) in s.Environment) psi.Environment[k] = v;
        return psi;
    }

    /// <summary>Runs it and prints it: a line a party, the kill, the blocks, the invariants (or one JSON document).</summary>
    public static async Task<int> RunAsync(CliContext ctx, string root, string? folder, LocalNodeKind node, int parcels)
    {
        folder ??= Path.Combine(root, "chain-dev", "run", "demo-parties");
        var run = new PartyRun(root, folder, node, KpServe, ctx.Json ? ctx.Err : ctx.Out) { ParcelsPerMember = parcels };
        PartyRunResult r;
        try
        {
            r = await run.RunAsync(ctx.Cancel);
        }
        catch (PartyRunException e)
        {
            throw new CliEnvironmentException(e.Message);
        }
        if (ctx.Json) Output.WriteJson(ctx.Out, Json(r));
        else Print(ctx.Out, r);
        return r.Ok ? ExitCodes.Ok : ExitCodes.NotVerified;
    }

    /// <summary>The run as kp demo --parties --json writes it (docs/schemas/demo.schema.json, its parties form).</summary>
    public static object Json(PartyRunResult r) => new
    {
        ok = r.Ok,
        node = r.Node,
        chainId = r.ChainId,
        registry = r.Registry,
        folder = r.Folder,
        seconds = Math.Round(r.Seconds, 1),
        parties = r.Parties,
        kill = r.Kill with { KilledAtSeconds = Math.Round(r.Kill.KilledAtSeconds, 1), RestartedAtSeconds = Math.Round(r.Kill.RestartedAtSeconds, 1) },
        blocks = r.Blocks,
        sharedBlocks = r.SharedBlocks,
        mostPartiesInABlock = r.MostPartiesInABlock,
        checks = r.Checks,
    };

    /// <summary>The run in a few lines: a line a party, the kill, the blocks, a line an invariant.</summary>
    public static void Print(TextWriter o, PartyRunResult r)
    {
        o.WriteLine();
        o.WriteLine($"Many parties, one chain: {r.Parties.Count} anchoring services on one {r.Node} node (chain {r.ChainId}), {r.Seconds:0.0} s");
        Output.WriteTable(o, ["PARTY", "ROLE", "ACCOUNT", "RECORDS", "ANCHORED", "TXS", "NONCES", "RESTARTS"], r.Parties.Select(p => (IReadOnlyList<string>)
        [
            p.Name, Role(p), p.Account, N(p.Records), N(p.Anchored), N(p.Transactions),
            $"{p.FirstNonce}-{(p.NextNonce == 0 ? 0 : p.NextNonce - 1)} {(p.NoncesGapless ? "gapless" : "GAPS")}", N(p.Restarts),
        ]));
        var k = r.Kill;
        o.WriteLine($"killed {k.Party}'s service (SIGKILL) at {k.KilledAtSeconds:0.0} s with {N(k.ConfirmedAtKill)} of {N(k.Records)} records confirmed; "
            + $"restarted at {k.RestartedAtSeconds:0.0} s; {N(k.OthersTransactionsWhileDown)} transactions of the others mined meanwhile");
        o.WriteLine($"{N(r.Blocks)} blocks with the parties' transactions, {N(r.SharedBlocks)} of them shared by several parties (at most {r.MostPartiesInABlock} in one)");
        foreach (var c in r.Checks) o.WriteLine($"{(c.Ok ? "✓" : "✗")} {c.Name}: {c.Message}");
        o.WriteLine($"Services' folders (store, inbox, rejected area): {r.Folder}");
    }

    private static string Role(PartyOutcome p) => p.Role switch
    {
        PartyRole.Member => $"{p.Participant} member",
        PartyRole.ExportingAuthority => $"{p.Participant} authority (certificates)",
        _ => $"{p.Participant} authority (imports)",
    };

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
