using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Fleet.Agent.Drivers.Pipeline;

/// <summary>
/// An open directory, reached one component at a time with <c>openat(O_NOFOLLOW)</c> from a root's own descriptor
/// (the files driver's managed root, the state directory), and the file operations relative to it (<c>mkdirat</c>, <c>openat(O_CREAT|O_EXCL|O_NOFOLLOW)</c>,
/// <c>renameat</c>, <c>unlinkat</c>).
/// </summary>
/// <remarks>
/// Why this closes the symlink race: a path is resolved again by the kernel at every path-based call, so a directory
/// that is checked and then swapped for a symlink to the outside redirects the next mkdir, create or rename. Here no
/// path is resolved twice: each component is opened relative to the descriptor of its parent, refusing a symlink
/// (O_NOFOLLOW makes the open fail with ELOOP, O_DIRECTORY with ENOTDIR for anything not a directory), and every later
/// operation names only one entry inside a directory already open. Swapping a component after it was opened changes
/// which inode the name points to, not the descriptor held, so the write still lands in the directory that was
/// checked, inside the root. Linux only (x64 and arm64, whose flag values it knows); elsewhere
/// <see cref="Supported"/> is false and callers fall back to path-based writes (<see cref="AtomicFile"/>), which the
/// files driver checks for symlinks beforehand.
/// </remarks>
internal sealed class DirectoryHandle : IDisposable
{
    private const int ENOENT = 2;
    private const int EEXIST = 17;
    private const int ENOTDIR = 20;
    private const int EISDIR = 21;
    private const int ENOTEMPTY = 39;
    private const int ELOOP = 40;
    private const int AT_REMOVEDIR = 0x200;
    private const int O_WRONLY = 0x1;
    private const int O_CREAT = 0x40;
    private const int O_EXCL = 0x80;
    private const int O_CLOEXEC = 0x80000;

    private static readonly int s_directory = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x4000 : 0x10000;
    private static readonly int s_noFollow = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x8000 : 0x20000;

    private readonly int _fd;
    private readonly string _relative;

    private DirectoryHandle(int fd, string relative)
    {
        _fd = fd;
        _relative = relative;
    }

    public static bool Supported { get; } =
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>A root directory, which may be reached through a symlink: it is the agent's configuration, not the hub's.</summary>
    public static DirectoryHandle OpenRoot(string root)
    {
        var fd = Libc.open(root, s_directory | O_CLOEXEC);
        return fd >= 0 ? new DirectoryHandle(fd, "") : throw Error(Marshal.GetLastPInvokeError(), root);
    }

    /// <summary>
    /// The subdirectory <paramref name="name"/>, never through a symlink; created (0755 before the umask) when missing
    /// and <paramref name="create"/> is set, else null when missing.
    /// </summary>
    public DirectoryHandle? OpenChild(string name, bool create)
    {
        var relative = _relative.Length == 0 ? name : $"{_relative}/{name}";
        while (true)
        {
            var fd = Libc.openat(_fd, name, s_directory | s_noFollow | O_CLOEXEC, 0);
            if (fd >= 0)
            {
                return new DirectoryHandle(fd, relative);
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != ENOENT)
            {
                throw Error(errno, relative);
            }

            if (!create)
            {
                return null;
            }

            if (Libc.mkdirat(_fd, name, 0b111_101_101) != 0 && Marshal.GetLastPInvokeError() is var mkdirErrno && mkdirErrno != EEXIST)
            {
                throw Error(mkdirErrno, relative);
            }

            // The new entry persists only once its parent is synced. Then open it like any other: should something have
            // replaced it by a symlink meanwhile, that open refuses it.
            Libc.fsync(_fd);
        }
    }

    /// <summary>
    /// Replaces <paramref name="name"/> in this directory whole: a new temporary file (unique name, O_EXCL|O_NOFOLLOW,
    /// exact mode), fsynced, renamed over the name (a symlink there is replaced, not followed), then the directory fsynced.
    /// </summary>
    public void WriteAtomically(string name, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        var temp = AtomicFile.TempPrefix + name + "-" + Guid.NewGuid().ToString("N")[..12];
        var fd = Libc.openat(_fd, temp, O_WRONLY | O_CREAT | O_EXCL | s_noFollow | O_CLOEXEC, (int)mode);
        if (fd < 0)
        {
            throw Error(Marshal.GetLastPInvokeError(), Relative(temp));
        }

        try
        {
            using (var stream = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, 1))
            {
                // The create mode is filtered by the umask; the desired mode is exact. (Supported is Linux only.)
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(stream.SafeFileHandle, mode);
                }

                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            if (Libc.renameat(_fd, temp, _fd, name) != 0)
            {
                throw Error(Marshal.GetLastPInvokeError(), Relative(name));
            }
        }
        catch
        {
            Libc.unlinkat(_fd, temp, 0);
            throw;
        }

        Libc.fsync(_fd);
    }

    /// <summary>Unlinks the file <paramref name="name"/> (a symlink itself, never its target); a missing one is no error.</summary>
    public void DeleteFile(string name)
    {
        if (Libc.unlinkat(_fd, name, 0) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == ENOENT)
            {
                return;
            }

            throw errno == EISDIR ? new IOException($"{Relative(name)} is a directory, not a file") : Error(errno, Relative(name));
        }

        Libc.fsync(_fd);
    }

    /// <summary>Removes the subdirectory <paramref name="name"/> if it is empty; false when it is not (or cannot go).</summary>
    public bool RemoveIfEmpty(string name)
    {
        if (Libc.unlinkat(_fd, name, AT_REMOVEDIR) != 0)
        {
            return false;
        }

        Libc.fsync(_fd);
        return true;
    }

    public void Dispose() => Libc.close(_fd);

    private string Relative(string name) => _relative.Length == 0 ? name : $"{_relative}/{name}";

    private static IOException Error(int errno, string relative) => errno switch
    {
        ELOOP => new IOException($"{relative} is a symlink; the files driver does not write through symlinks"),
        ENOTDIR => new IOException($"{relative} is not a directory"),
        ENOTEMPTY => new IOException($"{relative} is not empty"),
        _ => new IOException($"{relative}: {new Win32Exception(errno).Message}"),
    };
}
