namespace Fleet.Domain.Rendering;

/// <summary>
/// A Kubernetes object after templating. <see cref="Json"/> is the whole object as canonical JSON (what the agent
/// applies); the identity fields are repeated for display and ordering. <see cref="ReadyWhen"/> travels untemplated:
/// the agent evaluates it against the object it observes.
/// </summary>
public sealed record RenderedManifest(
    string ApiVersion,
    string Kind,
    string Name,
    string? Namespace,
    string Json,
    IReadOnlyList<string> ReadyWhen);
