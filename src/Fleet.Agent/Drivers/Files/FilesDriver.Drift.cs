using System.Security.Cryptography;
using Fleet.Agent.Drivers.Pipeline;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Drivers.Files;

/// <summary>Drift: files the driver wrote that someone changed, replaced or deleted since.</summary>
internal sealed partial class FilesDriver
{
    protected override Task<ResourceReport?> DetectDriftAsync(DesiredCapability desired, InventoryRecord<OwnedFile> record, Resource resource, CancellationToken cancellationToken)
    {
        if (resource.KindCase != Resource.KindOneofCase.File
            || ManagedRoot.Normalize(resource.File.Path, out var path) is not null
            || record.Entries.Find(f => f.Path == path) is not { } owned
            || owned.Hash != resource.Hash
            || PermissionBits.Parse(resource.File.Mode, out var mode, out var modeText) is not null
            || !_root.TryGetFullPath(path, out var fullPath))
        {
            // Not applied as desired yet (or not applicable): the converge deals with it, there is no drift to tell.
            return Task.FromResult<ResourceReport?>(null);
        }

        if (Differences(fullPath, resource.File.Content, mode, modeText) is not { } difference)
        {
            return Task.FromResult<ResourceReport?>(null);
        }

        LogDrifted(desired.Key, resource.Id, path, difference);
        return Task.FromResult<ResourceReport?>(Report(resource, ResourceState.Drifted, $"{path}: {difference}"));
    }

    /// <summary>The path already names the file: the capability's message does not repeat the resource id.</summary>
    protected override string DriftLine(ResourceReport drifted) => drifted.Message;

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
