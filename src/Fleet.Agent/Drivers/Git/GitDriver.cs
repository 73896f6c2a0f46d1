using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Agent.Drivers.Files;
using Fleet.Agent.Drivers.Pipeline;
using Fleet.Domain.Validation;
using Fleet.Protocol.Agent.V1;
using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Drivers.Git;

/// <summary>
/// Writes <c>manifest</c> resources as YAML files into a git repository for Argo CD or Flux to apply (SPEC §9): one file
/// per resource, <c>DIR/&lt;capability&gt;/&lt;id&gt;.yaml</c> (an instance's key <c>cap/inst</c> is the directory
/// <c>cap.inst</c>: names are DNS-1123 labels, which hold no '.'), in a working copy kept in the state directory. The
/// pipeline's hooks: <see cref="PrepareAsync"/> puts the working copy on the branch as the remote has it (what someone
/// edited there is then what the files are compared with, and so rewritten), <see cref="ApplyAsync"/> writes a file
/// whose content differs, <see cref="DeleteAsync"/> deletes a pruned one, <see cref="PublishAsync"/> commits the
/// capability's directory as <c>fleet-agent</c> with the capability and revision in the message and pushes, retrying on
/// top of a branch that moved; a resource is Ready once its commit is pushed, its report's observed state naming the
/// file and that commit. An unchanged desired set changes no file, so nothing is committed. Drift is the branch's file
/// differing from the one last written (edited or deleted by someone): told at resync, corrected by the converge after.
/// </summary>
internal sealed partial class GitDriver : ConvergingDriver<GitFile, ConvergePass<GitFile>>
{
    /// <summary>The inventory's file in the state directory.</summary>
    public const string InventoryFileName = "git-inventory.json";

    /// <summary>The working copy's directory in the state directory.</summary>
    public const string WorkingCopyDirectory = "git-work";

    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly GitOptions _options;
    private readonly WorkingCopy _workingCopy;
    private readonly ManagedRoot _root;
    private readonly ILogger<GitDriver> _logger;

    // What the last drift check read from the remote branch: path → blob id; and the ids' hash.
    private Dictionary<string, string> _remoteBlobs = new(StringComparer.Ordinal);
    private string? _objectFormat;

    public GitDriver(string stateDirectory, GitOptions options, TimeProvider time, ILogger<GitDriver> logger)
        : base("git", stateDirectory, InventoryFileName, "files", InventoryJsonContext.Default.GitInventory, time, logger)
    {
        _options = options;
        var path = Path.Combine(Path.GetFullPath(stateDirectory), WorkingCopyDirectory);
        _root = new ManagedRoot(path);
        _workingCopy = new WorkingCopy(new GitCli(_root.FullPath, options.CommandTimeout), options);
        _logger = logger;
    }

    /// <summary>
    /// The directory of a capability key in the repository, relative to its top ('/'-separated), or null when the key
    /// is not a capability name or capability/instance pair (it comes from the hub, and names a directory here).
    /// </summary>
    public static string? DirectoryOf(string directory, string key)
    {
        var parts = key.Split('/');
        if (parts.Length > 2 || !parts.All(NameRules.IsDns1123Label))
        {
            return null;
        }

        var name = string.Join('.', parts);
        return directory == "." ? name : $"{directory}/{name}";
    }

    protected override Resource.KindOneofCase Kind => Resource.KindOneofCase.Manifest;

    protected override ConvergePass<GitFile> BeginPass(DesiredCapability desired) => new(desired);

    protected override string? Refuse(ConvergePass<GitFile> pass, Resource resource)
    {
        if (KindRefusal.Check(resource, Kind, Name) is { } refusal)
        {
            return refusal;
        }

        if (DirectoryOf(_options.Directory, pass.Key) is null)
        {
            return $"capability key '{pass.Key}' cannot name a directory of the repository (it is not NAME or NAME/INSTANCE of DNS-1123 labels)";
        }

        if (!NameRules.IsDns1123Label(resource.Id))
        {
            return $"resource id '{resource.Id}' cannot name a file of the repository (it is not a DNS-1123 label)";
        }

        return Parse(resource, out var error) is null ? error : null;
    }

    protected override Task<string?> PrepareAsync(string key, CancellationToken cancellationToken) => _workingCopy.SyncAsync(cancellationToken);

    protected override async Task<string?> PrepareDriftCheckAsync(string key, CancellationToken cancellationToken)
    {
        var (_, error) = await _workingCopy.FetchAsync(cancellationToken);
        if (error is not null)
        {
            return error;
        }

        // Commits of ours the branch lacks: the converge pushes them; the branch is not drifted from them, only behind.
        if (await _workingCopy.AheadAsync(cancellationToken) || DirectoryOf(_options.Directory, key) is not { } directory)
        {
            return "not published yet";
        }

        _objectFormat ??= await _workingCopy.ObjectFormatAsync(cancellationToken);
        (_remoteBlobs, error) = await _workingCopy.RemoteBlobsAsync(directory, cancellationToken);
        return error;
    }

    protected override Task<ResourceReport> ApplyAsync(ConvergePass<GitFile> pass, Resource resource, CancellationToken cancellationToken)
    {
        // Refuse passed: the key names a directory and the manifest parses.
        var path = $"{DirectoryOf(_options.Directory, pass.Key)}/{resource.Id}.yaml";
        var content = ManifestYaml.Write(Parse(resource, out _)!);
        var record = pass.Record;
        var index = record.Entries.FindIndex(f => f.Id == resource.Id && f.Path == path);
        var entry = new GitFile(resource.Id, path, resource.Hash, [.. resource.DependsOn]);
        try
        {
            if (ManagedRoot.Normalize(path, out _) is { } pathError)
            {
                return Task.FromResult(Report(resource, ResourceState.Failed, $"path {path} {pathError}"));
            }

            if (_root.Resolve(path, out var fullPath) is { } resolveError)
            {
                return Task.FromResult(Report(resource, ResourceState.Failed, $"path {path}: {resolveError}"));
            }

            // Recorded before it is written, so no crash leaves a file in the repository that nothing would prune.
            var claimed = index < 0 || !record.Entries[index].SameAs(entry);
            if (index < 0)
            {
                record.Entries.Add(entry);
            }
            else
            {
                record.Entries[index] = entry;
            }

            pass.KeptEntries.Add(entry);
            if (claimed && TrySave() is { } saveError)
            {
                return Task.FromResult(Report(resource, ResourceState.Failed, saveError));
            }

            if (!SameContent(fullPath, content))
            {
                _root.WriteFile(path, fullPath, content, FileMode);
                pass.Changed++;
                LogWrote(pass.Key, resource.Id, path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            pass.KeptIds.Add(resource.Id);
            return Task.FromResult(Report(resource, ResourceState.Failed, $"writing {path}: {e.Message}"));
        }

        // Ready here means written; PublishAsync makes it Applying should the push not go through.
        return Task.FromResult(ObservedState.Attach(Report(resource, ResourceState.Ready, ""), new JsonObject { ["path"] = path }));
    }

    protected override Task<string?> DeleteAsync(string key, GitFile entry, CancellationToken cancellationToken)
    {
        // The inventory is a file on disk: what it names is checked again before anything is deleted.
        if (ManagedRoot.Normalize(entry.Path, out var path) is not null || path.Split('/').Contains(".git") || !_root.TryGetFullPath(path, out var fullPath))
        {
            return Task.FromResult<string?>(null);
        }

        try
        {
            _root.DeleteFile(path, fullPath);
            LogDeleted(key, entry.Id, path);
            return Task.FromResult<string?>(null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult<string?>($"{entry.Id}: deleting {path}: {e.Message}");
        }
    }

    protected override async Task<string?> PublishAsync(string key, long revision, IList<ResourceReport>? resources, CancellationToken cancellationToken)
    {
        if (DirectoryOf(_options.Directory, key) is not { } directory)
        {
            return null;
        }

        var message = resources is null
            ? $"fleet-agent: {key} removed (was revision {revision})"
            : $"fleet-agent: {key} revision {revision}";
        var (committed, error) = await _workingCopy.CommitAsync(directory, message, cancellationToken);
        error ??= await _workingCopy.PushAsync(cancellationToken);
        if (error is not null)
        {
            foreach (var resource in resources?.Where(r => r.State == ResourceState.Ready) ?? [])
            {
                resource.State = ResourceState.Applying;
                resource.Message = "written, not pushed yet";
            }

            return error;
        }

        var commit = await _workingCopy.LastCommitAsync(directory, cancellationToken);
        if (committed)
        {
            LogPushed(key, revision, commit ?? "", _options.Branch);
        }

        foreach (var resource in resources?.Where(r => r.State == ResourceState.Ready && r.ObservedJson.Length > 0) ?? [])
        {
            var observed = JsonNode.Parse(resource.ObservedJson)!.AsObject();
            observed["commit"] = commit;
            resource.Message = $"pushed in commit {commit}";
            ObservedState.Attach(resource, observed);
        }

        return null;
    }

    protected override Task<ResourceReport?> DetectDriftAsync(DesiredCapability desired, InventoryRecord<GitFile> record, Resource resource, CancellationToken cancellationToken)
    {
        if (record.Entries.Find(f => f.Id == resource.Id && f.Hash == resource.Hash) is not { } written
            || Parse(resource, out _) is not { } manifest)
        {
            return Task.FromResult<ResourceReport?>(null);
        }

        var expected = GitBlob.Id(ManifestYaml.Write(manifest), _objectFormat ?? "sha1");
        var difference = !_remoteBlobs.TryGetValue(written.Path, out var actual) ? $"deleted from branch {_options.Branch}"
            : actual != expected ? $"changed on branch {_options.Branch} (blob {WorkingCopy.Short(actual)}, {WorkingCopy.Short(expected)} written)"
            : null;
        if (difference is null)
        {
            return Task.FromResult<ResourceReport?>(null);
        }

        LogDrifted(desired.Key, resource.Id, written.Path, difference);
        return Task.FromResult<ResourceReport?>(Report(resource, ResourceState.Drifted, $"{written.Path}: {difference}"));
    }

    /// <summary>The path already names the resource: the capability's message does not repeat the id.</summary>
    protected override string DriftLine(ResourceReport drifted) => drifted.Message;

    private static bool SameContent(string fullPath, byte[] content)
    {
        var info = new FileInfo(fullPath);
        return info.Exists && info.LinkTarget is null && info.Length == content.Length && File.ReadAllBytes(fullPath).AsSpan().SequenceEqual(content);
    }

    private static JsonObject? Parse(Resource resource, out string? error)
    {
        error = null;
        try
        {
            if (JsonNode.Parse(resource.Manifest.Json) is JsonObject manifest)
            {
                return manifest;
            }

            error = "manifest is not a JSON object";
        }
        catch (JsonException e)
        {
            error = $"manifest is not JSON: {e.Message}";
        }

        return null;
    }
}
