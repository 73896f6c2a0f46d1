using System.Security.Cryptography;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Drivers.Files;

/// <summary>Drift: files the driver wrote that someone changed, replaced or deleted since.</summary>
internal sealed partial class FilesDriver
{
    public Task<CapabilityReport?> DetectDriftAsync(DesiredCapability desired, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        lock (_gate)
        {
            return Task.FromResult(DetectDrift(desired, cancellationToken));
        }
    }

    private CapabilityReport? DetectDrift(DesiredCapability desired, CancellationToken cancellationToken)
    {
        if (desired.Error.Length > 0 || _inventory.Find(desired.Key) is not { } record)
        {
            return null;
        }

        var drifted = new List<ResourceReport>();
        foreach (var resource in desired.Resources.Where(r => r.KindCase == Resource.KindOneofCase.File))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (ManagedRoot.Normalize(resource.File.Path, out var path) is not null
                || record.Files.Find(f => f.Path == path) is not { } owned
                || owned.Hash != resource.Hash
                || PermissionBits.Parse(resource.File.Mode, out var mode, out var modeText) is not null
                || !_root.TryGetFullPath(path, out var fullPath))
            {
                // Not applied as desired yet (or not applicable): the converge deals with it, there is no drift to tell.
                continue;
            }

            if (Differences(fullPath, resource.File.Content, mode, modeText) is { } difference)
            {
                LogDrifted(desired.Key, resource.Id, path, difference);
                drifted.Add(new ResourceReport { Id = resource.Id, Hash = resource.Hash, State = ResourceState.Drifted, Message = $"{path}: {difference}" });
            }
        }

        if (drifted.Count == 0)
        {
            return null;
        }

        var report = new CapabilityReport
        {
            Key = desired.Key,
            Revision = desired.Revision,
            Hash = desired.Hash,
            State = ResourceState.Drifted,
            Message = "drifted: " + string.Join("; ", drifted.Select(d => d.Message)),
        };
        report.Resources.Add(drifted);
        return report;
    }

    /// <summary>What differs between the file on disk and the desired content and mode, or null when nothing does.</summary>
    private static string? Differences(string fullPath, string content, UnixFileMode mode, string modeText)
    {
        var info = new FileInfo(fullPath);
        if (info.LinkTarget is not null)
        {
            return "replaced by a symlink";
        }

        if (!info.Exists)
        {
            return Directory.Exists(fullPath) ? "replaced by a directory" : "missing";
        }

        var differences = new List<string>(2);
        byte[] wanted;
        try
        {
            wanted = s_utf8.GetBytes(content);
        }
        catch (System.Text.EncoderFallbackException)
        {
            return null;
        }

        try
        {
            var actual = SHA256.HashData(File.ReadAllBytes(fullPath));
            var expected = SHA256.HashData(wanted);
            if (!actual.AsSpan().SequenceEqual(expected))
            {
                differences.Add($"content sha256 {Convert.ToHexStringLower(actual)[..12]}… on disk, {Convert.ToHexStringLower(expected)[..12]}… applied");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            differences.Add($"unreadable ({ex.Message})");
        }

        if (!OperatingSystem.IsWindows() && info.UnixFileMode != mode)
        {
            differences.Add($"mode 0{Convert.ToString((int)info.UnixFileMode, 8).PadLeft(3, '0')} on disk, {modeText} applied");
        }

        return differences.Count == 0 ? null : string.Join(", ", differences);
    }
}
