using Microsoft.Extensions.Hosting;

namespace Traceability.Service.Hosting;

/// <summary>
/// The lifetime of a service host that runs inside another program (kp demo, kp bench anchor): it leaves Ctrl+C and
/// SIGTERM to that program. The default console lifetime took them for itself: it stopped the host and kept the process,
/// so a kp whose node the signal had stopped went on waiting for confirmations that could never come.
/// </summary>
internal sealed class InProcessLifetime : IHostLifetime
{
    /// <inheritdoc />
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
