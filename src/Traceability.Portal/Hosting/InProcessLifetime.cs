namespace Traceability.Portal.Hosting;

/// <summary>
/// The lifetime of a portal host that runs inside another program (kp bench verify): it leaves Ctrl+C and
/// SIGTERM to that program. The default console lifetime took them for itself: it stopped the host and kept the process,
/// so kp, whose node the signal had stopped, met the portal answering 503 and ended on an unhandled exception.
/// </summary>
internal sealed class InProcessLifetime : IHostLifetime
{
    /// <inheritdoc />
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
