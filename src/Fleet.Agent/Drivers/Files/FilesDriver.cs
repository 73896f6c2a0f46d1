using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Agent.Drivers.Pipeline;
using Fleet.Protocol.Agent.V1;
using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Drivers.Files;

/// <summary>
/// Applies <c>file</c> resources under one root directory, as hooks of the <see cref="ConvergingDriver{TEntry, TPass}"/>
/// pipeline. Every file it writes is recorded, per capability, in a persisted inventory before it appears on disk, and
/// pruning deletes only what that inventory lists: a file the driver never wrote is never deleted. A file's removal
/// cannot break another file, so unlike the other drivers it does not hold a removal back for a dependent that failed
/// to go.
/// </summary>
internal sealed partial class FilesDriver : ConvergingDriver<OwnedFile, FilesPass>
{
    /// <summary>The inventory's file in the state directory.</summary>
    public const string InventoryFileName = "files-inventory.json";

    /// <summary>Largest file content it writes; the whole desired set travels in one gRPC message.</summary>
    public const int MaxContentBytes = 1024 * 1024;

    // Strict: a lone surrogate in content is reported, not silently written as U+FFFD.
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ManagedRoot _root;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<FilesDriver> _logger;

    public FilesDriver(string root, string stateDirectory, TimeProvider timeProvider, ILogger<FilesDriver> logger)
        : base("files", stateDirectory, InventoryFileName, "files", InventoryJsonContext.Default.FilesInventory, timeProvider, logger)
    {
        _root = new ManagedRoot(root);
        _timeProvider = timeProvider;
        _logger = logger;
    }

    protected override Resource.KindOneofCase Kind => Resource.KindOneofCase.File;

    protected override FilesPass BeginPass(DesiredCapability desired) => new(desired);

    /// <summary>
    /// Nothing is refused up front: a file of the wrong kind fails in <see cref="ApplyAsync"/> like any other write, and
    /// so keeps the file it wrote before (a file that is gone cannot be put back by the hub's next revision in time).
    /// </summary>
    protected override string? Refuse(FilesPass pass, Resource resource) => null;

    protected override bool Keeps(FilesPass pass, OwnedFile entry) => pass.Paths.ContainsKey(entry.Path) || pass.KeptIds.Contains(entry.Id);

    /// <summary>Writes one resource's file if it differs; a file that failed keeps the last good one until a write succeeds.</summary>
    protected override Task<ResourceReport> ApplyAsync(FilesPass pass, Resource resource, CancellationToken cancellationToken)
    {
        if (ApplyFile(pass, resource, out var observed) is { } error)
        {
            pass.KeptIds.Add(resource.Id);
            LogResourceFailed(pass.Key, resource.Id, error);
            return Task.FromResult(Report(resource, ResourceState.Failed, error));
        }

        // ApplyFile observes every file it reports no error for.
        return Task.FromResult(ObservedState.Attach(Report(resource, ResourceState.Ready, ""), observed!));
    }

    private string? ApplyFile(FilesPass pass, Resource resource, out JsonObject? observed)
    {
        observed = null;
        var key = pass.Key;
        var record = pass.Record;
        if (KindRefusal.Check(resource, Kind, Name) is { } refusal)
        {
            return refusal;
        }

        var file = resource.File;
        if (ManagedRoot.Normalize(file.Path, out var path) is { } pathError)
        {
            return $"path \"{file.Path.Replace("\0", "\\0", StringComparison.Ordinal)}\" {pathError}";
        }

        if (!pass.Paths.TryAdd(path, resource.Id))
        {
            return $"path {path} is also written by resource {pass.Paths[path]}";
        }

        if (OwnerOf(path, key) is { } owner)
        {
            return $"path {path} owned by capability {owner}";
        }
        if (PermissionBits.Parse(file.Mode, out var mode, out var modeText) is { } modeError)
        {
            return modeError;
        }

        byte[] content;
        try
        {
            var length = s_utf8.GetByteCount(file.Content);
            if (length > MaxContentBytes)
            {
                return $"content is {length} bytes; the files driver writes at most {MaxContentBytes} bytes per file";
            }

            content = s_utf8.GetBytes(file.Content);
        }
        catch (EncoderFallbackException ex)
        {
            return $"content is not valid text: {ex.Message}";
        }

        if (_root.Resolve(path, out var fullPath) is { } resolveError)
        {
            return $"path {path}: {resolveError}";
        }

        try
        {
            if (Directory.Exists(fullPath))
            {
                return $"path {path} is a directory";
            }

            var entry = new OwnedFile(resource.Id, path, resource.Hash, modeText, _timeProvider.GetUtcNow());
            var previous = record.Entries.FindIndex(f => f.Path == path);
            if (AtomicFile.HasContent(fullPath, content, mode))
            {
                // Already right on disk (our last write, or someone else's identical file): only claim it.
                if (previous < 0 || !SameFile(record.Entries[previous], entry))
                {
                    Claim(record, previous, entry);
                    Inventory.Save();
                }

                observed = Observe(path, fullPath, content, modeText);
                return null;
            }

            // Claim before the rename: a crash in between leaves a claim without a file (harmless: pruning a
            // missing file is a no-op), never a file without a claim, which nothing would ever prune.
            var before = previous < 0 ? null : record.Entries[previous];
            Claim(record, previous, entry);
            try
            {
                Inventory.Save();
                _root.WriteFile(path, fullPath, content, mode);
            }
            catch
            {
                Unclaim(record, entry, before);
                TrySave();
                throw;
            }

            pass.Changed++;
            LogWrote(key, resource.Id, path, modeText, content.Length);
            observed = Observe(path, fullPath, content, modeText);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"writing {path}: {ex.Message}";
        }
    }

    /// <summary>Deletes one owned file; returns the failure, or null once it is gone or was never inside the root.</summary>
    protected override Task<string?> DeleteAsync(string key, OwnedFile owned, CancellationToken cancellationToken)
    {
        var error = Delete(key, owned);
        if (error is null)
        {
            return Task.FromResult<string?>(null);
        }

        LogResourceFailed(key, owned.Id, error);
        return Task.FromResult<string?>($"{CapabilityOutcome.Display(owned.Id)}: removing {owned.Path}: {error}");
    }

    private string? Delete(string key, OwnedFile owned)
    {
        // The inventory is a file on disk: re-check what it says before deleting anything it names.
        if (ManagedRoot.Normalize(owned.Path, out var path) is not null || !_root.TryGetFullPath(path, out var fullPath))
        {
            LogForgotInvalidPath(key, owned.Path);
            return null;
        }

        if (_root.FindSymlink(path, includeFile: false) is { } symlink)
        {
            return $"{symlink} is a symlink; the files driver does not delete through symlinks";
        }

        try
        {
            _root.DeleteFile(path, fullPath);
            LogDeleted(key, owned.Id, path);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex.Message;
        }
    }

    /// <summary>The capability other than <paramref name="exceptKey"/> that owns <paramref name="path"/>, if any.</summary>
    private string? OwnerOf(string path, string exceptKey) =>
        Inventory.Records.FirstOrDefault(r => r.Key != exceptKey && r.Value.Entries.Exists(f => f.Path == path)).Key;

    /// <summary>
    /// What is on disk for a file just written or confirmed: the path as the capability names it, the mode the file
    /// has, its size, and the sha256 of the content it was just compared with or written from.
    /// </summary>
    private static JsonObject Observe(string path, string fullPath, byte[] content, string modeText) => new()
    {
        ["path"] = path,
        ["mode"] = OperatingSystem.IsWindows() ? modeText : PermissionBits.Format(File.GetUnixFileMode(fullPath)),
        ["size"] = new FileInfo(fullPath).Length,
        ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(content)),
    };

    private static void Claim(InventoryRecord<OwnedFile> record, int previous, OwnedFile entry)
    {
        if (previous < 0)
        {
            record.Entries.Add(entry);
        }
        else
        {
            record.Entries[previous] = entry;
        }
    }

    private static void Unclaim(InventoryRecord<OwnedFile> record, OwnedFile entry, OwnedFile? before)
    {
        var index = record.Entries.IndexOf(entry);
        if (before is null)
        {
            record.Entries.RemoveAt(index);
        }
        else
        {
            record.Entries[index] = before;
        }
    }

    private static bool SameFile(OwnedFile a, OwnedFile b) =>
        a.Id == b.Id && a.Path == b.Path && a.Hash == b.Hash && a.Mode == b.Mode;
}
