using System.Runtime.InteropServices;

namespace Fleet.Agent.Drivers.Pipeline;

/// <summary>
/// The libc calls .NET does not offer: directory descriptors (fsync of a directory, *at calls that never follow a
/// symlink) and signalling a whole process group. Callers handle DllNotFoundException where libc may be absent.
/// </summary>
internal static class Libc
{
    public const int SIGKILL = 9;

    [DllImport("libc", SetLastError = true)]
    public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    public static extern int openat(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    public static extern int mkdirat(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);

    [DllImport("libc", SetLastError = true)]
    public static extern int renameat(int olddirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldpath, int newdirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string newpath);

    [DllImport("libc", SetLastError = true)]
    public static extern int unlinkat(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    public static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true)]
    public static extern int close(int fd);

    /// <summary>kill(2); a negative <paramref name="pid"/> signals the process group -pid.</summary>
    [DllImport("libc", SetLastError = true)]
    public static extern int kill(int pid, int signal);
}
