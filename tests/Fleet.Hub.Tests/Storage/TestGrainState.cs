using System.Diagnostics.CodeAnalysis;

namespace Fleet.Hub.Tests.Storage;

/// <summary>The in-memory side of a persistent state, as a grain holds it.</summary>
internal sealed class TestGrainState<T>(T state, string? etag = null) : IGrainState<T>
    where T : new()
{
    public TestGrainState()
        : this(new T())
    {
    }

    private T _state = state;

    // Orleans may assign null; a grain always sees a state object, as with Orleans' own bridge.
    [AllowNull]
    public T State
    {
        get => _state;
        set => _state = value ?? new T();
    }

    public string? ETag { get; set; } = etag;

    public bool RecordExists { get; set; } = etag is not null;
}
