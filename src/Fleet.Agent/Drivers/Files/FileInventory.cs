using System.Text.Json;

namespace Fleet.Agent.Drivers.Files;

/// <summary>
/// The persisted record of which files each capability owns. It is the only basis for pruning: a file that is not
/// in here is never deleted, so it must be saved before a file appears on disk. Not thread-safe: the driver
/// serializes access.
/// </summary>
internal sealed class FileInventory
{
    public const string FileName = "files-inventory.json";

    private readonly string _path;
    private readonly InventoryDocument _document;

    private FileInventory(string path, InventoryDocument document)
    {
        _path = path;
        _document = document;
    }

    public IReadOnlyCollection<string> Keys => _document.Capabilities.Keys;

    /// <summary>
    /// Loads the inventory from <paramref name="stateDirectory"/>, or starts an empty one. A corrupt inventory
    /// throws: carrying on with an empty one would silently orphan every file it listed.
    /// </summary>
    public static FileInventory Load(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        var path = Path.Combine(stateDirectory, FileName);
        if (!File.Exists(path))
        {
            return new FileInventory(path, new InventoryDocument());
        }

        InventoryDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(File.ReadAllBytes(path), InventoryJsonContext.Default.InventoryDocument);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"files inventory {path} is corrupt: {ex.Message}", ex);
        }

        if (document is null)
        {
            throw new InvalidDataException($"files inventory {path} is empty");
        }

        if (document.Version != InventoryDocument.CurrentVersion)
        {
            throw new InvalidDataException(
                $"files inventory {path} has version {document.Version}; this agent reads version {InventoryDocument.CurrentVersion}");
        }

        // JSON dictionaries come back with the default comparer; keys are compared ordinally everywhere else.
        document.Capabilities = new Dictionary<string, CapabilityRecord>(document.Capabilities, StringComparer.Ordinal);
        return new FileInventory(path, document);
    }

    public CapabilityRecord? Find(string capabilityKey) =>
        _document.Capabilities.GetValueOrDefault(capabilityKey);

    public CapabilityRecord GetOrAdd(string capabilityKey)
    {
        if (!_document.Capabilities.TryGetValue(capabilityKey, out var record))
        {
            record = new CapabilityRecord();
            _document.Capabilities.Add(capabilityKey, record);
        }

        return record;
    }

    public void Remove(string capabilityKey) => _document.Capabilities.Remove(capabilityKey);

    /// <summary>The capability other than <paramref name="exceptKey"/> that owns <paramref name="path"/>, if any.</summary>
    public string? OwnerOf(string path, string exceptKey)
    {
        foreach (var (key, record) in _document.Capabilities)
        {
            if (key != exceptKey && record.Files.Exists(f => f.Path == path))
            {
                return key;
            }
        }

        return null;
    }

    public void Save()
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(_document, InventoryJsonContext.Default.InventoryDocument);
        AtomicFile.Write(_path, bytes, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
