using Traceability.Service.Hosting;

namespace Traceability.Service.Tests.Hosting;

/// <summary>F14: the lock of a service folder cannot be defeated by deleting service.lock.</summary>
[Trait("Category", "Fast")]
public sealed class FolderLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kp-lock-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Deleting_the_lock_file_under_a_holder_does_not_let_a_second_one_in_and_the_holder_is_named()
    {
        using (var first = ServiceFolder.Acquire(_dir, "first"))
        {
            var e = Assert.Throws<ServiceStartException>(() => ServiceFolder.Acquire(_dir, "second"));
            Assert.Contains($"process {Environment.ProcessId} (first", e.Message);
            File.Delete(new ServiceLayout(_dir).LockFile);
            var again = Assert.Throws<ServiceStartException>(() => ServiceFolder.Acquire(_dir, "second"));
            Assert.Contains(_dir, again.Message);
        }
        using var next = AcquireOnceReleased("next"); // released with its holder
    }

    /// <summary>
    /// Acquire, given a moment: a flock belongs to the open file, and a process another test starts meanwhile holds a
    /// copy of every descriptor between its fork and its exec (close-on-exec closes them only at the exec), so on a busy
    /// machine the holder's release can take effect a few milliseconds after its close. Seen once in a full run.
    /// </summary>
    private IDisposable AcquireOnceReleased(string holder)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                return ServiceFolder.Acquire(_dir, holder);
            }
            catch (ServiceStartException) when (DateTime.UtcNow < until)
            {
                Thread.Sleep(20);
            }
        }
    }
}
