using Fleet.Agent.Drivers.Pipeline;

namespace Fleet.Agent.Drivers.Files;

/// <summary>
/// The directory the files driver manages, and the rules that keep every write and delete inside it. Resource
/// paths come from the hub, so they are treated as untrusted: lexically confined first, then checked against the
/// disk for symlinks, which would otherwise let an in-root path reach anywhere.
/// </summary>
/// <remarks>
/// The symlink check (<see cref="Resolve"/>) gives a clear error early; what keeps a write inside the root is that it
/// never follows a symlink at all (<see cref="WriteFile"/>, <see cref="DeleteFile"/>: see <see cref="DirectoryHandle"/>),
/// so a directory swapped for a symlink between the check and the write cannot redirect it.
/// </remarks>
internal sealed class ManagedRoot
{
    private readonly string _prefix;

    public ManagedRoot(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        FullPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _prefix = Path.EndsInDirectorySeparator(FullPath) ? FullPath : FullPath + Path.DirectorySeparatorChar;
        Directory.CreateDirectory(FullPath);
    }

    public string FullPath { get; }

    /// <summary>
    /// Checks a resource path and returns its normalized form ('/'-separated, relative), or what is wrong with it
    /// as a predicate ("is empty"). Anything that could mean a different file than it reads as is rejected rather
    /// than repaired, so that inventory paths compare by plain string equality.
    /// </summary>
    public static string? Normalize(string path, out string normalized)
    {
        normalized = "";
        if (path.Length == 0)
        {
            return "is empty";
        }

        if (path.Contains('\0'))
        {
            return "contains a NUL character";
        }

        if (path.Contains('\\'))
        {
            return "contains a backslash; separate directories with '/'";
        }

        if (path.StartsWith('/') || Path.IsPathRooted(path))
        {
            return "is absolute; it must be relative to the root";
        }

        foreach (var segment in path.Split('/'))
        {
            switch (segment)
            {
                case "..":
                    return "escapes the root through a '..' segment";
                case ".":
                    return "contains a '.' segment";
                case "":
                    return "contains an empty segment (leading, trailing or doubled '/')";
            }
        }

        normalized = path;
        return null;
    }

    /// <summary>
    /// The absolute path of a normalized resource path, or false when it would leave the root. Normalize already
    /// rules escapes out; this is the backstop should that ever change, and the check for inventory paths read back
    /// from disk.
    /// </summary>
    public bool TryGetFullPath(string normalized, out string fullPath)
    {
        fullPath = Path.GetFullPath(Path.Combine(FullPath, normalized));
        return fullPath.StartsWith(_prefix, StringComparison.Ordinal);
    }

    /// <summary>
    /// The absolute path of a normalized resource path, or an error when it would leave the root or a component
    /// that already exists on disk is a symlink.
    /// </summary>
    public string? Resolve(string normalized, out string fullPath)
    {
        if (!TryGetFullPath(normalized, out fullPath))
        {
            return "resolves outside the root";
        }

        var symlink = FindSymlink(normalized, includeFile: true);
        return symlink is null ? null : $"{symlink} is a symlink; the files driver does not write through symlinks";
    }

    /// <summary>
    /// The first component of <paramref name="normalized"/> under the root that is a symlink (relative path), or
    /// null. Components that do not exist end the walk: nothing below them can exist either.
    /// </summary>
    public string? FindSymlink(string normalized, bool includeFile)
    {
        var segments = normalized.Split('/');
        var count = includeFile ? segments.Length : segments.Length - 1;
        var current = FullPath;
        for (var i = 0; i < count; i++)
        {
            current = Path.Combine(current, segments[i]);
            var info = new FileInfo(current);
            if (info.LinkTarget is not null)
            {
                return string.Join('/', segments, 0, i + 1);
            }

            if (!info.Exists && !Directory.Exists(current))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>
    /// Replaces the file at <paramref name="normalized"/> (<paramref name="fullPath"/>) atomically, creating its parent
    /// directories, without following a symlink anywhere below the root.
    /// </summary>
    public void WriteFile(string normalized, string fullPath, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        if (!DirectoryHandle.Supported)
        {
            CreateParents(fullPath);
            AtomicFile.Write(fullPath, content, mode);
            return;
        }

        var segments = normalized.Split('/');
        var chain = OpenParents(segments, create: true);
        try
        {
            chain[^1].WriteAtomically(segments[^1], content, mode);
        }
        finally
        {
            chain.ForEach(d => d.Dispose());
        }
    }

    /// <summary>
    /// Unlinks the file at <paramref name="normalized"/> and the directories above it that are now empty (never the root),
    /// without following a symlink anywhere below the root; a file that is already gone is no error.
    /// </summary>
    public void DeleteFile(string normalized, string fullPath)
    {
        if (!DirectoryHandle.Supported)
        {
            AtomicFile.Delete(fullPath);
            RemoveEmptyParents(fullPath);
            return;
        }

        var segments = normalized.Split('/');
        var chain = OpenParents(segments, create: false);
        try
        {
            if (chain.Count < segments.Length)
            {
                // A parent is missing: so is the file.
                return;
            }

            chain[^1].DeleteFile(segments[^1]);
            for (var i = chain.Count - 1; i > 0 && chain[i - 1].RemoveIfEmpty(segments[i - 1]); i--)
            {
            }
        }
        finally
        {
            chain.ForEach(d => d.Dispose());
        }
    }

    /// <summary>The root and each parent directory of the file, opened in turn; stops early at a missing one unless creating.</summary>
    private List<DirectoryHandle> OpenParents(string[] segments, bool create)
    {
        var chain = new List<DirectoryHandle> { DirectoryHandle.OpenRoot(FullPath) };
        try
        {
            for (var i = 0; i < segments.Length - 1; i++)
            {
                if (chain[^1].OpenChild(segments[i], create) is not { } next)
                {
                    break;
                }

                chain.Add(next);
            }

            return chain;
        }
        catch
        {
            chain.ForEach(d => d.Dispose());
            throw;
        }
    }

    /// <summary>Creates the parent directories of a file, fsyncing each new one's parent so the entries persist.</summary>
    public void CreateParents(string fullPath)
    {
        var missing = new Stack<string>();
        for (var dir = Path.GetDirectoryName(fullPath); dir is not null && dir.Length > FullPath.Length && !Directory.Exists(dir);
             dir = Path.GetDirectoryName(dir))
        {
            missing.Push(dir);
        }

        if (missing.Count == 0)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        foreach (var dir in missing)
        {
            DirectorySync.Flush(Path.GetDirectoryName(dir)!);
        }
    }

    /// <summary>
    /// Removes the directories above a deleted file that are now empty, bottom up, stopping at the first one that
    /// is not empty and never touching the root itself.
    /// </summary>
    public void RemoveEmptyParents(string fullPath)
    {
        for (var dir = Path.GetDirectoryName(fullPath); dir is not null && dir.StartsWith(_prefix, StringComparison.Ordinal);
             dir = Path.GetDirectoryName(dir))
        {
            try
            {
                if (new DirectoryInfo(dir).LinkTarget is not null || Directory.EnumerateFileSystemEntries(dir).Any())
                {
                    return;
                }

                Directory.Delete(dir, recursive: false);
                DirectorySync.Flush(Path.GetDirectoryName(dir)!);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Someone put something in it meanwhile, or we may not remove it: either way it stays, harmlessly.
                return;
            }
        }
    }
}
