namespace Fleet.Domain.Validation;

/// <summary>
/// What a files-driver path may be: relative to the agent's root and unable to leave it. Checked when a
/// document is applied, again after templating (a label value may hold <c>..</c>), and agents may check once more.
/// </summary>
public static class FilePathRules
{
    public const int MaxLength = 4096;

    /// <summary>Null when <paramref name="path"/> is acceptable, else why not (a sentence that names the path).</summary>
    public static string? Check(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return "path must not be empty";
        }

        if (path.Length > MaxLength)
        {
            return $"path is longer than {MaxLength} characters";
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return $"path '{Printable(path)}' contains a NUL character";
        }

        if (path.Any(char.IsControl))
        {
            return $"path '{Printable(path)}' contains a control character";
        }

        if (path[0] == '/')
        {
            return $"path '{path}' must be relative to the agent's root, not absolute";
        }

        if (path[0] == '~')
        {
            return $"path '{path}' must not start with '~'";
        }

        if (path.Contains('\\', StringComparison.Ordinal))
        {
            return $"path '{path}' must use '/' as its separator, not '\\'";
        }

        if (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':')
        {
            return $"path '{path}' must be relative to the agent's root, not start with a drive letter";
        }

        foreach (var segment in path.Split('/'))
        {
            switch (segment)
            {
                case "":
                    return $"path '{path}' has an empty segment (a leading, trailing or doubled '/')";
                case ".":
                    return $"path '{path}' must be normalised (it has a '.' segment)";
                case "..":
                    return $"path '{path}' must not contain a '..' segment (it would escape the agent's root)";
            }
        }

        return null;
    }

    private static string Printable(string path) =>
        string.Concat(path.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
