using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Fleet.Hub.Hosting;

/// <summary>
/// An exclusive lock on <c>DATA-DIR/hub.lock</c> for as long as a hub uses the directory, so that a
/// second hub started on it refuses to start instead of writing the same SQLite database, CA and admin
/// token beside the first (two hubs over one database would each activate their own copy of every grain).
/// </summary>
/// <remarks>
/// <para>
/// flock(2), not a pid file: the kernel drops the lock when the holder's last descriptor closes, however
/// the process ends (SIGKILL included), so a killed hub never blocks its own restart and nothing stale
/// is left to clean up. flock locks belong to an open file description, so two hubs in one process
/// exclude each other too. The file is opened and locked directly rather than with a
/// <see cref="FileStream"/>: .NET's own FileShare emulation takes a shared flock on every open (which
/// a second hub could hold while the first upgrades) and is switched off by
/// <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c>.
/// </para>
/// <para>
/// The holder writes its pid into the file, for the refusal message only: flock is advisory, so the
/// refused hub can still read it.
/// </para>
/// </remarks>
internal sealed class HubDataDirectoryLock : IHostedService, IDisposable
{
    public const string FileName = "hub.lock";

    // Linux values; O_NOFOLLOW is left out because its value differs between architectures: the data
    // directory's own files are checked for links before this runs (HubDataDirectory).
    private const int ReadWrite = 0x2;
    private const int Create = 0x40;
    private const int CloseOnExec = 0x80000;
    private const int Mode600 = 0x180;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int WouldBlock = 11;

    private readonly SafeFileHandle _handle;

    private HubDataDirectoryLock(string path, SafeFileHandle handle)
    {
        Path = path;
        _handle = handle;
    }

    /// <summary>The lock file (for messages and tests).</summary>
    public string Path { get; }

    /// <summary>
    /// Takes the lock of <paramref name="directory"/> (which exists), or throws a
    /// <see cref="HubStartupException"/> naming the directory and the pid of the hub that holds it.
    /// </summary>
    public static HubDataDirectoryLock Acquire(string directory)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        if (OperatingSystem.IsWindows())
        {
            // No flock there; a file opened without sharing is released by the OS with the process as well.
            try
            {
                return new HubDataDirectoryLock(path, File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException e)
            {
                throw new HubStartupException($"another fleet-hub is using {directory}", e);
            }
        }

        var fd = Native.open(path, ReadWrite | Create | CloseOnExec, Mode600);
        if (fd < 0)
        {
            throw new HubStartupException($"{path} cannot be opened: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if (Native.flock(fd, LockExclusive | LockNonBlocking) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error == WouldBlock)
                {
                    var holder = ReadHolder(handle);
                    throw new HubStartupException(holder is null
                        ? $"another fleet-hub is using {directory}"
                        : $"another fleet-hub is using {directory} (pid {holder})");
                }

                throw new HubStartupException($"{path} cannot be locked: {Marshal.GetPInvokeErrorMessage(error)}");
            }

            var pid = Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            RandomAccess.SetLength(handle, 0);
            RandomAccess.Write(handle, pid, 0);
            return new HubDataDirectoryLock(path, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    // A hosted service only so that the host owns it: it resolves every hosted service when it starts
    // and disposes them with itself, also after a failed start, and that disposal releases the lock.
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Releases the lock (closing the file is what releases it).</summary>
    public void Dispose() => _handle.Dispose();

    private static string? ReadHolder(SafeFileHandle handle)
    {
        var buffer = new byte[32];
        var length = RandomAccess.Read(handle, buffer, 0);
        var text = Encoding.ASCII.GetString(buffer, 0, length).Trim();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid.ToString(CultureInfo.InvariantCulture) : null;
    }

    private static class Native
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

        [DllImport("libc", SetLastError = true)]
        public static extern int flock(int fd, int operation);
    }
}
