namespace CelConformance;

/// <summary>A text-format message: repeated fields keep every value in order.</summary>
internal sealed class ProtoMessage
{
    private readonly List<(string Name, object Value)> _fields = [];

    public IEnumerable<(string Name, object Value)> All => _fields;

    public void Add(string name, object value) => _fields.Add((name, value));

    public IEnumerable<object> Values(string name) => _fields.Where(f => f.Name == name).Select(f => f.Value);

    public object? Get(string name) => Values(name).FirstOrDefault();

    public ProtoMessage? Message(string name) => Get(name) as ProtoMessage;

    public string? Text(string name) => Get(name) switch
    {
        ProtoBytes b => b.Text,
        string s => s,
        _ => null,
    };

    public bool Has(string name) => _fields.Any(f => f.Name == name);

    public bool Flag(string name) => Text(name) == "true";
}
