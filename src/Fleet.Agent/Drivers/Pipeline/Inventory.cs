using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Fleet.Agent.Drivers.Pipeline;

/// <summary>
/// A driver's persisted record of what each capability applied: the only basis for pruning, so it is saved before
/// anything appears on the target (a crash leaves at worst a record of something that does not exist, which pruning
/// skips, never something unrecorded that nothing would remove). Written atomically, mode 0600: it can hold rendered
/// exec env values. Not thread-safe: the pipeline serializes access.
/// </summary>
internal sealed class Inventory<TEntry>
    where TEntry : class, IInventoryEntry
{
    private const string EntriesProperty = "entries";

    private static readonly JsonWriterOptions s_indented = new() { Indented = true };

    private readonly string _path;
    private readonly string _listName;
    private readonly JsonTypeInfo<InventoryDocument<TEntry>> _typeInfo;
    private readonly InventoryDocument<TEntry> _document;

    // What the file holds now: a save that would write the same bytes is skipped (resyncs repeat every few seconds).
    private byte[] _saved;

    private Inventory(string path, string listName, JsonTypeInfo<InventoryDocument<TEntry>> typeInfo, InventoryDocument<TEntry> document, byte[] saved)
    {
        _path = path;
        _listName = listName;
        _typeInfo = typeInfo;
        _document = document;
        _saved = saved;
    }

    public IReadOnlyCollection<string> Keys => _document.Capabilities.Keys;

    public IEnumerable<KeyValuePair<string, InventoryRecord<TEntry>>> Records => _document.Capabilities;

    /// <summary>
    /// Loads <paramref name="fileName"/> from <paramref name="stateDirectory"/>, or starts an empty inventory. A corrupt
    /// one throws: carrying on with an empty one would silently orphan everything it listed.
    /// </summary>
    /// <param name="driver">The driver's name, for messages.</param>
    /// <param name="listName">The JSON name of a record's entries on disk (<see cref="InventoryRecord{TEntry}.Entries"/>).</param>
    public static Inventory<TEntry> Load(string stateDirectory, string fileName, string driver, string listName, JsonTypeInfo<InventoryDocument<TEntry>> typeInfo)
    {
        Directory.CreateDirectory(stateDirectory);
        var path = Path.Combine(stateDirectory, fileName);
        if (!File.Exists(path))
        {
            return new Inventory<TEntry>(path, listName, typeInfo, new InventoryDocument<TEntry>(), []);
        }

        var bytes = File.ReadAllBytes(path);
        InventoryDocument<TEntry>? document;
        try
        {
            var node = JsonNode.Parse(bytes);
            Rename(node, listName, EntriesProperty);
            document = node.Deserialize(typeInfo);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{driver} inventory {path} is corrupt: {ex.Message}", ex);
        }

        if (document is null)
        {
            throw new InvalidDataException($"{driver} inventory {path} is empty");
        }

        if (document.Version != InventoryDocument<TEntry>.CurrentVersion)
        {
            throw new InvalidDataException(
                $"{driver} inventory {path} has version {document.Version}; this agent reads version {InventoryDocument<TEntry>.CurrentVersion}");
        }

        // JSON dictionaries come back with the default comparer; keys are compared ordinally everywhere else.
        document.Capabilities = new Dictionary<string, InventoryRecord<TEntry>>(document.Capabilities, StringComparer.Ordinal);
        return new Inventory<TEntry>(path, listName, typeInfo, document, bytes);
    }

    public InventoryRecord<TEntry>? Find(string capabilityKey) => _document.Capabilities.GetValueOrDefault(capabilityKey);

    public InventoryRecord<TEntry> GetOrAdd(string capabilityKey)
    {
        if (!_document.Capabilities.TryGetValue(capabilityKey, out var record))
        {
            record = new InventoryRecord<TEntry>();
            _document.Capabilities.Add(capabilityKey, record);
        }

        return record;
    }

    public void Remove(string capabilityKey) => _document.Capabilities.Remove(capabilityKey);

    public void Save()
    {
        var node = JsonSerializer.SerializeToNode(_document, _typeInfo);
        Rename(node, EntriesProperty, _listName);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_indented))
        {
            node!.WriteTo(writer);
        }

        var bytes = buffer.ToArray();
        if (bytes.AsSpan().SequenceEqual(_saved))
        {
            return;
        }

        AtomicFile.Write(_path, bytes, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _saved = bytes;
    }

    /// <summary>Renames every record's list between the driver's name on disk and the one generic name in memory.</summary>
    private static void Rename(JsonNode? document, string from, string to)
    {
        if (document?["capabilities"] is not JsonObject capabilities)
        {
            return;
        }

        foreach (var (_, record) in capabilities)
        {
            if (record is JsonObject fields && fields.Remove(from, out var list))
            {
                fields[to] = list;
            }
        }
    }
}
