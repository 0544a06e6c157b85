using System.Diagnostics;
using System.Globalization;
using System.Text;
using Traceability.Service;
using Traceability.Service.Store;

namespace Traceability.Lab.Parties;

/// <summary>What a party's anchoring service process is started with.</summary>
/// <param name="Party">Whose service.</param>
/// <param name="ServiceDirectory">Its own folder: store, drop folder, rejected area.</param>
/// <param name="DeploymentPath">The deployment record (the one chain every party anchors on).</param>
/// <param name="MaxBatch">Most records a transaction.</param>
/// <param name="MaxDelayMs">Longest a record waits for its batch to fill.</param>
/// <param name="Environment">Variables the process gets beside the parent's (the mnemonic on a Besu-like node).</param>
public sealed record PartyServiceStart(Party Party, string ServiceDirectory, string DeploymentPath, int MaxBatch, int MaxDelayMs,
    IReadOnlyDictionary<string, string> Environment);

/// <summary>Starts a party's anchoring service as a process of its own (kp serve: <c>kp demo --parties</c>).</summary>
public delegate ProcessStartInfo PartyServiceLauncher(PartyServiceStart start);

/// <summary>
/// One party's anchoring service, a process of its own over its own folder: started, killed with SIGKILL (no graceful stop: whatever
/// it had in flight is left as a crash leaves it), started again, stopped with SIGTERM. What it printed is kept (capped) for a failure's message.
/// </summary>
internal sealed class PartyService(PartyServiceStart start, PartyServiceLauncher launcher) : IDisposable
{
    private readonly StringBuilder _log = new();
    private Process? _process;

    public Party Party => start.Party;

    public ServiceLayout Layout { get; } = new(start.ServiceDirectory);

    /// <summary>How often it was started again after a kill.</summary>
    public int Restarts { get; private set; }

    /// <summary>The exit code of its last stop (SIGTERM: 0 for a graceful stop).</summary>
    public int? ExitCode { get; private set; }

    /// <summary>The end of what it printed (its last 4,000 characters: what explains a failure).</summary>
    public string Log
    {
        get
        {
            lock (_log) return _log.ToString(Math.Max(0, _log.Length - 4_000), Math.Min(4_000, _log.Length));
        }
    }

    public void Start()
    {
        if (_process is not null) Restarts++;
        var psi = launcher(start);
        psi.UseShellExecute = false;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {Party.Name}'s anchoring service");
        p.OutputDataReceived += (_, e) => Append(e.Data);
        p.ErrorDataReceived += (_, e) => Append(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _process?.Dispose();
        _process = p;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            if (_log.Length > 32_000) _log.Remove(0, 16_000); // the end is what explains a failure
            _log.AppendLine(line);
        }
    }

    /// <summary>Whether the process ended on its own (a fatal error: the message says why).</summary>
    public bool HasExited => _process is { HasExited: true };

    /// <summary>SIGKILL: no graceful stop, no flush; waits until it is gone.</summary>
    public async Task KillAsync()
    {
        var p = _process ?? throw new InvalidOperationException("not started");
        p.Kill(entireProcessTree: false);
        await p.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>SIGTERM (a graceful stop), and waits up to <paramref name="within"/>; killed if it does not stop in time.</summary>
    public async Task StopAsync(TimeSpan within)
    {
        if (_process is not { } p || p.HasExited)
        {
            ExitCode = _process?.ExitCode;
            return;
        }
        using (var term = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", p.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false }))
        {
            if (term is not null) await term.WaitForExitAsync().ConfigureAwait(false);
        }
        using var cts = new CancellationTokenSource(within);
        try
        {
            await p.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync().ConfigureAwait(false);
        }
        ExitCode = p.ExitCode;
    }

    /// <summary>Writes documents into its drop folder as one JSON Lines file (written under a temporary name, then renamed).</summary>
    public void Drop(string name, IEnumerable<Core.Records.KpRecord> records)
    {
        Directory.CreateDirectory(Layout.Inbox);
        var path = Path.Combine(Layout.Inbox, name + ".jsonl");
        File.WriteAllText(path + ".tmp", string.Join("\n", records.Select(r => Core.Json.RecordJson.Write(r).ReplaceLineEndings(""))) + "\n");
        File.Move(path + ".tmp", path);
    }

    /// <summary>Its store's counts (read beside the running service; before its first start, none).</summary>
    public IReadOnlyDictionary<RecordStage, long> Counts()
    {
        if (!File.Exists(Layout.StorePath)) return new Dictionary<RecordStage, long>();
        using var store = new RecordStore(Layout.StorePath);
        return store.Counts();
    }

    /// <summary>Its store's rejections (reasons), for a failure's message.</summary>
    public IReadOnlyList<string> Rejections(int max = 3)
    {
        if (!File.Exists(Layout.StorePath)) return [];
        using var store = new RecordStore(Layout.StorePath);
        return [.. store.WithStatus(RecordStage.Rejected, max, withDocument: false).Select(r => $"[{r.Rule}] {r.Field}: {r.Reason}")];
    }

    public void Dispose()
    {
        if (_process is { } p)
        {
            try
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // gone already
            }
            p.Dispose();
        }
    }
}
