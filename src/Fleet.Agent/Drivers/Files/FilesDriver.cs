using System.Diagnostics;
using System.Text;
using Fleet.Protocol.Agent.V1;
using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Drivers.Files;

/// <summary>
/// Applies <c>file</c> resources under one root directory. Every file it writes is recorded, per capability, in a
/// persisted inventory before it appears on disk, and pruning deletes only what that inventory lists: a file the
/// driver never wrote is never deleted.
/// </summary>
internal sealed partial class FilesDriver : ITargetDriver
{
    /// <summary>Largest file content it writes; the whole desired set travels in one gRPC message.</summary>
    public const int MaxContentBytes = 1024 * 1024;

    // Strict: a lone surrogate in content is reported, not silently written as U+FFFD.
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ManagedRoot _root;
    private readonly FileInventory _inventory;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<FilesDriver> _logger;

    // The reconcile loop is serial; the lock keeps the inventory consistent should that ever change.
    private readonly Lock _gate = new();

    public FilesDriver(string root, string stateDirectory, TimeProvider timeProvider, ILogger<FilesDriver> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _root = new ManagedRoot(root);
        _inventory = FileInventory.Load(stateDirectory);
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public string Name => "files";

    /// <summary>
    /// Every key that has converged and not been removed since, including ones whose resources all failed: the
    /// loop removes what is no longer desired, and that removal is what tells the hub to forget the key.
    /// </summary>
    public IReadOnlyCollection<string> OwnedCapabilities
    {
        get
        {
            lock (_gate)
            {
                return [.. _inventory.Keys];
            }
        }
    }

    public Task<CapabilityReport> ConvergeAsync(DesiredCapability desired, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(Converge(desired, cancellationToken));
        }
    }

    public Task<CapabilityReport> RemoveAsync(string capabilityKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(capabilityKey);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(Remove(capabilityKey, cancellationToken));
        }
    }

    private CapabilityReport Converge(DesiredCapability desired, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        var report = new CapabilityReport { Key = desired.Key, Revision = desired.Revision, Hash = desired.Hash };

        // The hub could not render this capability for us: touching the files now would only make things worse.
        if (desired.Error.Length > 0)
        {
            foreach (var resource in desired.Resources)
            {
                report.Resources.Add(Failed(resource, "not applied: " + desired.Error));
            }

            return Finish(report, ResourceState.Failed, desired.Error);
        }

        if (desired.Key.Length == 0)
        {
            return Finish(report, ResourceState.Failed, "desired capability has no key; nothing applied");
        }

        var isNew = _inventory.Find(desired.Key) is null;
        var record = _inventory.GetOrAdd(desired.Key);
        var plan = new ConvergePlan();
        var failures = new List<string>();
        var written = 0;

        foreach (var resource in desired.Resources)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var error = Apply(desired.Key, record, resource, plan, out var wrote);
            if (error is null)
            {
                written += wrote ? 1 : 0;
                report.Resources.Add(new ResourceReport { Id = resource.Id, Hash = resource.Hash, State = ResourceState.Ready });
            }
            else
            {
                failures.Add($"{DisplayId(resource.Id)}: {error}");
                report.Resources.Add(Failed(resource, error));
                LogResourceFailed(desired.Key, resource.Id, error);
            }
        }

        var pruned = Prune(desired.Key, record, plan, failures, cancellationToken);

        var changed = isNew || record.Revision != desired.Revision || record.Hash != desired.Hash;
        record.Revision = desired.Revision;
        record.Hash = desired.Hash;
        changed |= OrderLikeDesired(record, desired);
        if (changed && TrySave() is { } saveError)
        {
            failures.Add(saveError);
        }

        // Resyncs repeat every few seconds; only a converge that did or found something is worth an info line.
        var elapsedMs = _timeProvider.GetElapsedTime(started).TotalMilliseconds;
        if (written + pruned + failures.Count > 0)
        {
            LogConverged(desired.Key, desired.Revision, written, pruned, failures.Count, elapsedMs);
        }
        else
        {
            LogInSync(desired.Key, desired.Revision, elapsedMs);
        }

        return failures.Count == 0
            ? Finish(report, ResourceState.Ready, "")
            : Finish(report, ResourceState.Failed, $"{failures.Count} failed: {string.Join("; ", failures)}");
    }

    /// <summary>Writes one resource if its file differs; returns the error, or null when the file is as desired.</summary>
    private string? Apply(string key, CapabilityRecord record, Resource resource, ConvergePlan plan, out bool wrote)
    {
        wrote = false;
        if (resource.Id.Length == 0)
        {
            return "resource has no id";
        }

        if (!plan.Ids.Add(resource.Id))
        {
            return "duplicate resource id in this capability";
        }

        var error = ApplyFile(key, record, resource, plan, out wrote);
        if (error is not null)
        {
            plan.FailedIds.Add(resource.Id);
        }

        return error;
    }

    private string? ApplyFile(string key, CapabilityRecord record, Resource resource, ConvergePlan plan, out bool wrote)
    {
        wrote = false;
        if (resource.KindCase != Resource.KindOneofCase.File)
        {
            var kind = resource.KindCase == Resource.KindOneofCase.None ? "unknown" : resource.KindCase.ToString().ToLowerInvariant();
            return $"files driver cannot apply resource kind {kind}";
        }

        var file = resource.File;
        if (ManagedRoot.Normalize(file.Path, out var path) is { } pathError)
        {
            return $"path \"{file.Path.Replace("\0", "\\0", StringComparison.Ordinal)}\" {pathError}";
        }

        if (!plan.Paths.TryAdd(path, resource.Id))
        {
            return $"path {path} is also written by resource {plan.Paths[path]}";
        }

        if (_inventory.OwnerOf(path, key) is { } owner)
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
            var previous = record.Files.FindIndex(f => f.Path == path);
            if (AtomicFile.HasContent(fullPath, content, mode))
            {
                // Already right on disk (our last write, or someone else's identical file): only claim it.
                if (previous < 0 || !SameFile(record.Files[previous], entry))
                {
                    Claim(record, previous, entry);
                    _inventory.Save();
                }

                return null;
            }

            _root.CreateParents(fullPath);

            // Claim before the rename: a crash in between leaves a claim without a file (harmless: pruning a
            // missing file is a no-op), never a file without a claim, which nothing would ever prune.
            var before = previous < 0 ? null : record.Files[previous];
            Claim(record, previous, entry);
            try
            {
                _inventory.Save();
                AtomicFile.Write(fullPath, content, mode);
            }
            catch
            {
                Unclaim(record, entry, before);
                TrySave();
                throw;
            }

            wrote = true;
            LogWrote(key, resource.Id, path, modeText, content.Length);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"writing {path}: {ex.Message}";
        }
    }

    /// <summary>
    /// Deletes, newest first, the owned files whose paths the desired set no longer has. A file whose resource is
    /// still desired but failed this time is kept: the last good file stays until its replacement succeeds.
    /// </summary>
    private int Prune(string key, CapabilityRecord record, ConvergePlan plan, List<string> failures, CancellationToken cancellationToken)
    {
        var pruned = 0;
        for (var i = record.Files.Count - 1; i >= 0; i--)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var owned = record.Files[i];
            if (plan.Paths.ContainsKey(owned.Path) || plan.FailedIds.Contains(owned.Id))
            {
                continue;
            }

            if (Delete(key, record, owned) is { } error)
            {
                failures.Add($"{DisplayId(owned.Id)}: removing {owned.Path}: {error}");
                LogResourceFailed(key, owned.Id, error);
            }
            else
            {
                pruned++;
            }
        }

        return pruned;
    }

    private CapabilityReport Remove(string key, CancellationToken cancellationToken)
    {
        var report = new CapabilityReport { Key = key };
        var record = _inventory.Find(key);
        if (record is null)
        {
            report.Removed = true;
            return Finish(report, ResourceState.Ready, "");
        }

        report.Revision = record.Revision;
        report.Hash = record.Hash;
        var failures = new List<string>();
        for (var i = record.Files.Count - 1; i >= 0; i--)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var owned = record.Files[i];
            if (Delete(key, record, owned) is { } error)
            {
                failures.Add($"{DisplayId(owned.Id)}: removing {owned.Path}: {error}");
                report.Resources.Add(new ResourceReport { Id = owned.Id, Hash = owned.Hash, State = ResourceState.Failed, Message = error });
                LogResourceFailed(key, owned.Id, error);
            }
        }

        if (failures.Count == 0)
        {
            _inventory.Remove(key);
            if (TrySave() is { } saveError)
            {
                failures.Add(saveError);
            }
        }

        if (failures.Count > 0)
        {
            // Keep the key so the loop retries; the hub must not forget files that are still there.
            return Finish(report, ResourceState.Failed, $"{failures.Count} failed: {string.Join("; ", failures)}");
        }

        LogRemoved(key);
        report.Removed = true;
        return Finish(report, ResourceState.Ready, "");
    }

    /// <summary>Deletes one owned file and drops it from the inventory; returns the error, or null.</summary>
    private string? Delete(string key, CapabilityRecord record, OwnedFile owned)
    {
        // The inventory is a file on disk: re-check what it says before deleting anything it names.
        if (ManagedRoot.Normalize(owned.Path, out var path) is not null || !_root.TryGetFullPath(path, out var fullPath))
        {
            LogForgotInvalidPath(key, owned.Path);
            record.Files.Remove(owned);
            return TrySave();
        }

        if (_root.FindSymlink(path, includeFile: false) is { } symlink)
        {
            return $"{symlink} is a symlink; the files driver does not delete through symlinks";
        }

        try
        {
            AtomicFile.Delete(fullPath);
            record.Files.Remove(owned);
            _inventory.Save();
            _root.RemoveEmptyParents(fullPath);
            LogDeleted(key, owned.Id, path);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex.Message;
        }
    }

    /// <summary>Puts the owned files in the order of the desired resources, so removal undoes them in reverse.</summary>
    private static bool OrderLikeDesired(CapabilityRecord record, DesiredCapability desired)
    {
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < desired.Resources.Count; i++)
        {
            position.TryAdd(desired.Resources[i].Id, i);
        }

        var ordered = record.Files.OrderBy(f => position.GetValueOrDefault(f.Id, int.MaxValue)).ToList();
        if (ordered.SequenceEqual(record.Files))
        {
            return false;
        }

        record.Files = ordered;
        return true;
    }

    private static void Claim(CapabilityRecord record, int previous, OwnedFile entry)
    {
        if (previous < 0)
        {
            record.Files.Add(entry);
        }
        else
        {
            record.Files[previous] = entry;
        }
    }

    private static void Unclaim(CapabilityRecord record, OwnedFile entry, OwnedFile? before)
    {
        var index = record.Files.IndexOf(entry);
        if (before is null)
        {
            record.Files.RemoveAt(index);
        }
        else
        {
            record.Files[index] = before;
        }
    }

    private static bool SameFile(OwnedFile a, OwnedFile b) =>
        a.Id == b.Id && a.Path == b.Path && a.Hash == b.Hash && a.Mode == b.Mode;

    /// <summary>Saves the inventory; a failure is returned as a message because it is reported, not thrown.</summary>
    private string? TrySave()
    {
        try
        {
            _inventory.Save();
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogInventorySaveFailed(ex);
            return $"saving the files inventory: {ex.Message}";
        }
    }

    private static ResourceReport Failed(Resource resource, string message) =>
        new() { Id = resource.Id, Hash = resource.Hash, State = ResourceState.Failed, Message = message };

    private static CapabilityReport Finish(CapabilityReport report, ResourceState state, string message)
    {
        report.State = state;
        report.Message = message;
        return report;
    }

    private static string DisplayId(string id) => id.Length == 0 ? "(no id)" : id;
}
