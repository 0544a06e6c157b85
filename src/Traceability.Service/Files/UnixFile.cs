using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Traceability.Service.Files;

/// <summary>What opening a drop-folder entry found.</summary>
/// <param name="Handle">The open file, when it is a regular file (the caller disposes it).</param>
/// <param name="NotRegular">Otherwise what the entry is ("a symbolic link", "a FIFO (named pipe)", ...): it was not read.</param>
public sealed record OpenedEntry(SafeFileHandle? Handle, string? NotRegular);

/// <summary>
/// The few POSIX calls .NET does not expose, so the service never reads anything but a regular file
/// and can hold an OS lock on its folder:
/// <list type="bullet">
/// <item><see cref="OpenRegular"/> opens with <c>O_NOFOLLOW | O_NONBLOCK</c> and checks <c>fstat</c> on the
/// open descriptor: a symbolic link is refused by the kernel (never followed, so
/// <c>ln -s /proc/self/environ inbox/x.json</c> reads nothing), a FIFO does not block the open, and
/// a FIFO, device, socket or directory is closed unread. The check is on the descriptor that is then
/// read, so swapping the entry after the check changes nothing.</item>
/// <item><see cref="TryLock"/> takes <c>flock(LOCK_EX | LOCK_NB)</c> on a descriptor of its own: the
/// kernel releases it when the process ends, however it ends (SIGKILL included).</item>
/// </list>
/// Linux only (x86-64 and arm64: the two architectures the project builds for); elsewhere a portable
/// fallback refuses symbolic links and uses .NET's exclusive file share.
/// </summary>
public static class UnixFile
{
    private const int ORdOnly = 0, ORdWr = 2, OCreat = 0x40, ONonBlock = 0x800, OCloExec = 0x80000;
    private const int FGetFl = 3, FSetFl = 4;
    private const int LockEx = 2, LockNb = 4;
    private const int Eloop = 40, Ewouldblock = 11, Eintr = 4;
    private const int SIfMt = 0xF000, SIfReg = 0x8000;

    private static bool Native => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    // O_NOFOLLOW differs by architecture; st_mode's offset in struct stat too.
    private static int ONoFollow => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x8000 : 0x20000;

    private static int ODirectory => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x4000 : 0x10000;

    private static int ModeOffset => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 16 : 24;

    /// <summary>
    /// Opens <paramref name="path"/> for reading if, and only if, it is a regular file (not through a
    /// symbolic link). Throws <see cref="IOException"/> for other failures (gone, no permission).
    /// </summary>
    public static OpenedEntry OpenRegular(string path)
    {
        if (!Native) return OpenRegularPortable(path);
        var fd = Retry(() => Open(path, ORdOnly | ONoFollow | ONonBlock | OCloExec, 0));
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Eloop) return new OpenedEntry(null, "a symbolic link" + LinkTarget(path));
            throw new IOException($"cannot open {Path.GetFileName(path)}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var mode = Mode(fd);
            if ((mode & SIfMt) != SIfReg)
            {
                handle.Dispose();
                return new OpenedEntry(null, Describe(mode));
            }
            // back to blocking reads (a regular file never blocks anyway; .NET streams expect it)
            var flags = Fcntl(fd, FGetFl, 0);
            if (flags >= 0) Fcntl(fd, FSetFl, flags & ~ONonBlock);
            return new OpenedEntry(handle, null);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Takes an exclusive lock on <paramref name="path"/> (created 0600 if needed) and returns its open
    /// handle, or null if another process (or another handle in this one) holds it. Disposing the handle,
    /// or the end of the process, releases it.
    /// </summary>
    public static SafeFileHandle? TryLock(string path)
    {
        if (!Native)
        {
            try
            {
                return File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                return null;
            }
        }
        var fd = Retry(() => Open(path, ORdWr | OCreat | ONoFollow | OCloExec, Convert.ToInt32("600", 8)));
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot open the lock file {path}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Retry(() => Flock(fd, LockEx | LockNb)) == 0) return handle;
        var error = Marshal.GetLastPInvokeError();
        handle.Dispose();
        if (error == Ewouldblock) return null;
        throw new IOException($"cannot lock {path}: {Marshal.GetPInvokeErrorMessage(error)} (errno {error})");
    }

    /// <summary>
    /// Takes an exclusive lock on the directory <paramref name="path"/> itself (<c>open(O_RDONLY | O_DIRECTORY)</c>,
    /// then <c>flock(LOCK_EX | LOCK_NB)</c>) and returns its handle, or null if another open of it holds the lock.
    /// Unlike a lock file, the directory cannot be deleted from under a running service (it holds the store),
    /// so the lock cannot be defeated by removing a file. Elsewhere than Linux: an unowned handle (no lock).
    /// </summary>
    public static SafeFileHandle? TryLockDirectory(string path)
    {
        if (!Native) return new SafeFileHandle(IntPtr.Zero, ownsHandle: false);
        var fd = Retry(() => Open(path, ORdOnly | ODirectory | OCloExec, 0));
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot open the folder {path}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Retry(() => Flock(fd, LockEx | LockNb)) == 0) return handle;
        var error = Marshal.GetLastPInvokeError();
        handle.Dispose();
        if (error == Ewouldblock) return null;
        throw new IOException($"cannot lock the folder {path}: {Marshal.GetPInvokeErrorMessage(error)} (errno {error})");
    }

    /// <summary>
    /// Renames the entry <paramref name="source"/> itself (a regular file, a symbolic link to anything,
    /// a directory, a FIFO...) to <paramref name="target"/> with <c>rename(2)</c>: never follows a link,
    /// unlike <see cref="File.Move(string, string)"/>, which refuses a link to a directory and a directory.
    /// Throws <see cref="IOException"/> when the kernel refuses.
    /// </summary>
    public static void Rename(string source, string target)
    {
        if (!Native)
        {
            if (Directory.Exists(source) && new FileInfo(source).LinkTarget is null) Directory.Move(source, target);
            else File.Move(source, target);
            return;
        }
        if (Retry(() => RenameNative(source, target)) == 0) return;
        var errno = Marshal.GetLastPInvokeError();
        throw new IOException($"cannot move {Path.GetFileName(source)}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }

    /// <summary>
    /// Reads a small text file without taking any lock (.NET's own open takes a shared flock, which an
    /// exclusively locked file refuses): for the holder's note in a lock file. Null if unreadable.
    /// </summary>
    public static string? ReadUnlocked(string path, int max = 4096)
    {
        try
        {
            var opened = OpenRegular(path);
            if (opened.Handle is not { } handle) return null;
            using (handle)
            {
                var buffer = new byte[max];
                var n = RandomAccess.Read(handle, buffer, 0);
                return Encoding.UTF8.GetString(buffer, 0, n);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static OpenedEntry OpenRegularPortable(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) return new OpenedEntry(null, "a symbolic link" + LinkTarget(path));
        if (!info.Exists) throw new IOException($"{info.Name} is gone");
        return new OpenedEntry(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read), null);
    }

    private static string LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is { } target ? $" to {target}" : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string Describe(int mode) => (mode & SIfMt) switch
    {
        0x1000 => "a FIFO (named pipe)",
        0x2000 => "a character device",
        0x4000 => "a directory",
        0x6000 => "a block device",
        0xA000 => "a symbolic link",
        0xC000 => "a socket",
        _ => $"not a regular file (mode 0x{mode:x})",
    };

    private static int Mode(int fd)
    {
        var buffer = new byte[256]; // struct stat: 144 bytes on x86-64, 128 on arm64
        int result;
        try
        {
            result = Retry(() => Fstat(fd, buffer));
        }
        catch (EntryPointNotFoundException)
        {
            result = Retry(() => Fxstat(1, fd, buffer)); // glibc before 2.33 exports fstat only as __fxstat
        }
        if (result != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"fstat failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
        return BitConverter.ToInt32(buffer, ModeOffset);
    }

    private static int Retry(Func<int> call)
    {
        while (true)
        {
            var r = call();
            if (r >= 0 || Marshal.GetLastPInvokeError() != Eintr) return r;
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int RenameNative([MarshalAs(UnmanagedType.LPUTF8Str)] string source, [MarshalAs(UnmanagedType.LPUTF8Str)] string target);

    [DllImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static extern int Fstat(int fd, [Out] byte[] buffer);

    [DllImport("libc", EntryPoint = "__fxstat", SetLastError = true)]
    private static extern int Fxstat(int version, int fd, [Out] byte[] buffer);

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int command, int argument);

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static extern int Flock(int fd, int operation);
}
