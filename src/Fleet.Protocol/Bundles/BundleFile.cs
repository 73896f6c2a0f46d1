namespace Fleet.Protocol.Bundles;

/// <summary>
/// Reads a bundle file within <see cref="BundleLimits.MaxBundleBytes"/>: a larger file is refused before it is read,
/// and a file that grows while being read is cut at the bound and refused too. Problems are refusals, not exceptions.
/// </summary>
public static class BundleFile
{
    /// <summary>The file's bytes in <paramref name="content"/> and null, or the refusal (and an empty array).</summary>
    public static BundleRefusal? TryRead(string path, out byte[] content)
    {
        content = [];
        try
        {
            if (Directory.Exists(path))
            {
                return new BundleRefusal(BundleRefusalReason.Unreadable, $"{path} is a directory, not a bundle file");
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.CanSeek && stream.Length > BundleLimits.MaxBundleBytes)
            {
                return TooLarge(path);
            }

            using var read = new MemoryStream();
            var buffer = new byte[81920];
            int count;
            while ((count = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                read.Write(buffer, 0, count);
                if (read.Length > BundleLimits.MaxBundleBytes)
                {
                    return TooLarge(path);
                }
            }

            content = read.ToArray();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new BundleRefusal(BundleRefusalReason.Unreadable, $"cannot read {path} ({e.Message})");
        }
    }

    private static BundleRefusal TooLarge(string path) =>
        new(BundleRefusalReason.TooLarge, $"{path} is larger than a bundle may be ({BundleLimits.MaxBundleBytes} bytes): not a Fleet bundle");
}
