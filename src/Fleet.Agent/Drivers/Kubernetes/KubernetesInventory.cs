using System.Text.Json;
using Fleet.Agent.Drivers.Files;

namespace Fleet.Agent.Drivers.Kubernetes;

/// <summary>
/// The persisted record of which objects each capability applied. Saved before an object is applied, so a crash
/// leaves at worst a record of an object that does not exist (pruning it is a no-op), never an unrecorded object.
/// </summary>
internal sealed class KubernetesInventory
{
    public const string FileName = "kubernetes-inventory.json";

    private readonly string _path;
    private readonly KubernetesInventoryDocument _document;

    private KubernetesInventory(string path, KubernetesInventoryDocument document)
    {
        _path = path;
        _document = document;
    }

    public IReadOnlyCollection<string> Keys => _document.Capabilities.Keys;

    public static KubernetesInventory Load(string stateDirectory)
    {
        Directory.CreateDirectory(stateDirectory);
        var path = Path.Combine(stateDirectory, FileName);
        if (!File.Exists(path))
        {
            return new KubernetesInventory(path, new KubernetesInventoryDocument());
        }

        KubernetesInventoryDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(File.ReadAllBytes(path), KubernetesInventoryJsonContext.Default.KubernetesInventoryDocument);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"kubernetes inventory {path} is corrupt: {ex.Message}", ex);
        }

        if (document is null || document.Version != KubernetesInventoryDocument.CurrentVersion)
        {
            throw new InvalidDataException($"kubernetes inventory {path} is empty or of another version than {KubernetesInventoryDocument.CurrentVersion}");
        }

        document.Capabilities = new Dictionary<string, KubernetesCapabilityRecord>(document.Capabilities, StringComparer.Ordinal);
        return new KubernetesInventory(path, document);
    }

    public KubernetesCapabilityRecord? Find(string key) => _document.Capabilities.GetValueOrDefault(key);

    public KubernetesCapabilityRecord GetOrAdd(string key)
    {
        if (!_document.Capabilities.TryGetValue(key, out var record))
        {
            record = new KubernetesCapabilityRecord();
            _document.Capabilities.Add(key, record);
        }

        return record;
    }

    public void Remove(string key) => _document.Capabilities.Remove(key);

    public void Save() =>
        AtomicFile.Write(_path, JsonSerializer.SerializeToUtf8Bytes(_document, KubernetesInventoryJsonContext.Default.KubernetesInventoryDocument), UnixFileMode.UserRead | UnixFileMode.UserWrite);
}
