using System.Text.Json;
using Fleet.Agent.Drivers.Files;

namespace Fleet.Agent.Drivers.Exec;

/// <summary>
/// The persisted record of what the exec driver ran, per capability. Saved atomically before a command starts and
/// after it ends, so a crash in between leaves "not yet succeeded" (the command runs again) rather than a success
/// that never happened. Not thread-safe: the driver serializes access.
/// </summary>
internal sealed class ExecInventory
{
    public const string FileName = "exec-inventory.json";

    private readonly string _path;
    private readonly ExecInventoryDocument _document;

    private ExecInventory(string path, ExecInventoryDocument document)
    {
        _path = path;
        _document = document;
    }

    public IReadOnlyCollection<string> Keys => _document.Capabilities.Keys;

    /// <summary>Loads the inventory or starts an empty one; a corrupt file throws rather than forgetting every delete it holds.</summary>
    public static ExecInventory Load(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        var path = Path.Combine(stateDirectory, FileName);
        if (!File.Exists(path))
        {
            return new ExecInventory(path, new ExecInventoryDocument());
        }

        ExecInventoryDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(File.ReadAllBytes(path), ExecInventoryJsonContext.Default.ExecInventoryDocument);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"exec inventory {path} is corrupt: {ex.Message}", ex);
        }

        if (document is null || document.Version != ExecInventoryDocument.CurrentVersion)
        {
            throw new InvalidDataException($"exec inventory {path} is empty or of another version than {ExecInventoryDocument.CurrentVersion}");
        }

        document.Capabilities = new Dictionary<string, ExecCapabilityRecord>(document.Capabilities, StringComparer.Ordinal);
        return new ExecInventory(path, document);
    }

    public ExecCapabilityRecord? Find(string key) => _document.Capabilities.GetValueOrDefault(key);

    public ExecCapabilityRecord GetOrAdd(string key)
    {
        if (!_document.Capabilities.TryGetValue(key, out var record))
        {
            record = new ExecCapabilityRecord();
            _document.Capabilities.Add(key, record);
        }

        return record;
    }

    public void Remove(string key) => _document.Capabilities.Remove(key);

    public void Save() =>
        AtomicFile.Write(_path, JsonSerializer.SerializeToUtf8Bytes(_document, ExecInventoryJsonContext.Default.ExecInventoryDocument), UnixFileMode.UserRead | UnixFileMode.UserWrite);
}
