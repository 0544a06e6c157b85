using System.Diagnostics;
using System.Globalization;
using Traceability.Chain.Accounts;

namespace Traceability.Testing;

/// <summary>
/// A stand-in remote signer (tests/tools/stand-in-signer.js, ethers) on 127.0.0.1 holding the key of one
/// development account: what Clef or Web3Signer would be. Started by the test, stopped by its process id.
/// </summary>
public sealed class StandInSigner : IAsyncDisposable
{
    private readonly Process _process;

    private StandInSigner(Process process, string url, ChainAccount account)
    {
        _process = process;
        Url = url;
        Account = account;
    }

    /// <summary>The signer's JSON-RPC endpoint.</summary>
    public string Url { get; }

    /// <summary>The account whose key it holds.</summary>
    public ChainAccount Account { get; }

    /// <summary>The signer's port.</summary>
    public int Port => new Uri(Url).Port;

    /// <summary>The process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>
    /// Starts a signer holding development account <paramref name="index"/>'s key, on <paramref name="port"/>
    /// (0: a free one); <paramref name="flags"/> as the script takes them (--delay-ms N, --refuse, --wrong-key).
    /// </summary>
    public static async Task<StandInSigner> StartAsync(int index, int port = 0, params string[] flags)
    {
        var account = Mnemonic.Parse(Mnemonic.DevelopmentPhrase).Account(index);
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(RepoPaths.Under("tests", "tools", "stand-in-signer.js"));
        psi.ArgumentList.Add("--port");
        psi.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        foreach (var f in flags) psi.ArgumentList.Add(f);
        psi.Environment["KP_TEST_SIGNER_KEY"] = account.Key.GetPrivateKey();
        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start node");
        using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(ready.Token);
            if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"the stand-in signer did not start: {line} {await process.StandardError.ReadToEndAsync(ready.Token)}");
            }
            _ = process.StandardError.ReadToEndAsync(CancellationToken.None); // drain
            return new StandInSigner(process, line["listening ".Length..], account);
        }
        catch
        {
            Stop(process);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Stops the signer (by its process id) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        Stop(_process);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(wait.Token);
    }

    private static void Stop(Process p)
    {
        try
        {
            if (!p.HasExited) Process.GetProcessById(p.Id).Kill();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // exited meanwhile
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await StopAsync();
        _process.Dispose();
    }

    private bool _disposed;
}
