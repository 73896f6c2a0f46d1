using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Agent.Drivers.Dependencies;
using Fleet.Protocol.Agent.V1;
using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Drivers.Files;

/// <summary>
/// Applies <c>file</c> resources under one root directory. Every file it writes is recorded, per capability, in a
/// persisted inventory before it appears on disk, and pruning deletes only what that inventory lists: a file the
/// driver never wrote is never deleted. Files are written in dependency order, each once what it depends on is
/// written, and deleted the other way round; a file's removal cannot break another file, so unlike the other
/// drivers it does not hold a removal back for a dependent that failed to go.
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
            return CapabilityOutcome.NotApplied(desired, desired.Error);
        }

        if (desired.Key.Length == 0)
        {
            return Finish(report, ResourceState.Failed, "desired capability has no key; nothing applied");
        }

        var graph = ResourceGraph.Build(desired);
        if (graph.Error is { } graphError)
        {
            return CapabilityOutcome.NotApplied(desired, graphError);
        }

        var isNew = _inventory.Find(desired.Key) is null;
        var record = _inventory.GetOrAdd(desired.Key);
        var plan = new ConvergePlan();
        var gate = new ReadinessGate();
        var failures = new List<string>();
        var written = 0;

        foreach (var resource in graph.Order)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var outcome = Apply(desired.Key, record, resource, plan, gate, out var wrote);
            written += wrote ? 1 : 0;
            gate.Record(outcome);
            report.Resources.Add(outcome);
        }

        var pruned = Prune(desired.Key, record, plan, failures, cancellationToken);

        var changed = isNew || record.Revision != desired.Revision || record.Hash != desired.Hash;
        record.Revision = desired.Revision;
        record.Hash = desired.Hash;
        changed |= OrderLikeGraph(record, graph);
        if (changed && TrySave() is { } saveError)
        {
            failures.Add(saveError);
        }

        CapabilityOutcome.Finish(report, desired, failures);

        // Resyncs repeat every few seconds; only a converge that did or found something is worth an info line.
        var elapsedMs = _timeProvider.GetElapsedTime(started).TotalMilliseconds;
        var failed = report.Resources.Count(r => r.State == ResourceState.Failed) + failures.Count;
        if (written + pruned + failed > 0)
        {
            LogConverged(desired.Key, desired.Revision, written, pruned, failed, elapsedMs);
        }
        else
        {
            LogInSync(desired.Key, desired.Revision, elapsedMs);
        }

        return report;
    }

    /// <summary>Writes one resource if its file differs, once what it depends on is written; returns its report.</summary>
    private ResourceReport Apply(string key, CapabilityRecord record, Resource resource, ConvergePlan plan, ReadinessGate gate, out bool wrote)
    {
        wrote = false;
        string? error;
        JsonObject? observed = null;
        if (resource.Id.Length == 0)
        {
            error = "resource has no id";
        }
        else if (!plan.Ids.Add(resource.Id))
        {
            error = "duplicate resource id in this capability";
        }
        else if (gate.Hold(resource) is { } held)
        {
            // Not written now (waiting for a dependency, or awaiting the hub's render with no file to write): the file
            // it wrote before stays until it may be written again, rather than being pruned as no longer desired.
            plan.KeptIds.Add(resource.Id);
            return held;
        }
        else if ((error = ApplyFile(key, record, resource, plan, out wrote, out observed)) is not null)
        {
            plan.KeptIds.Add(resource.Id);
        }

        if (error is not null)
        {
            LogResourceFailed(key, resource.Id, error);
            return Failed(resource, error);
        }

        // ApplyFile observes every file it reports no error for.
        return ObservedState.Attach(new ResourceReport { Id = resource.Id, Hash = resource.Hash, State = ResourceState.Ready }, observed!);
    }

    private string? ApplyFile(string key, CapabilityRecord record, Resource resource, ConvergePlan plan, out bool wrote, out JsonObject? observed)
    {
        wrote = false;
        observed = null;
        if (KindRefusal.Check(resource, Resource.KindOneofCase.File, Name) is { } refusal)
        {
            return refusal;
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

                observed = Observe(path, fullPath, content, modeText);
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
            observed = Observe(path, fullPath, content, modeText);
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
            if (plan.Paths.ContainsKey(owned.Path) || plan.KeptIds.Contains(owned.Id))
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

    /// <summary>Puts the owned files in dependency order, so removal undoes them dependents first.</summary>
    private static bool OrderLikeGraph(CapabilityRecord record, ResourceGraph graph)
    {
        var ordered = RemovalOrder.LikeGraph(record.Files, f => f.Id, graph);
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
