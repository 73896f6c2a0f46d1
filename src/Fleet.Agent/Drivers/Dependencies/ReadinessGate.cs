using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Drivers.Dependencies;

/// <summary>
/// Holds a resource back until everything it depends on is Ready, within one converge walked in
/// <see cref="ResourceGraph.Order"/>: a dependency's outcome is always known before its dependents come up. Every
/// converge re-establishes its dependencies' state (a file rewritten or confirmed, a succeeded command remembered, an
/// object re-applied and its readiness read), so Ready here means Ready on the target now, whether it became so in
/// this pass or an earlier one. What is held is not applied, and not removed either: the driver keeps what it applied
/// before, since removing a working resource only because its dependency is rolling out would be an outage. A resource
/// the hub sent <c>awaiting</c> (not rendered yet, no kind) is held the same way, and being Pending it holds its own
/// dependents in turn.
/// </summary>
internal sealed class ReadinessGate
{
    private readonly Dictionary<string, ResourceReport> _outcomes = new(StringComparer.Ordinal);

    /// <summary>
    /// Null when <paramref name="resource"/> may be applied now; otherwise its report: Pending with the hub's text
    /// while it is awaiting a render, Failed when a dependency failed (it would only fail too, or worse, work against
    /// a broken dependency), Pending while one is on its way.
    /// </summary>
    public ResourceReport? Hold(Resource resource)
    {
        // Awaiting decides before the dependencies do: there is nothing to apply whatever their state here, and only
        // the hub's next desired set (rendered from their observed state) can change that. Its text already says what
        // it waits for; a dependency that failed fails the capability through its own report.
        if (resource.Awaiting.Length > 0)
        {
            return new ResourceReport { Id = resource.Id, Hash = resource.Hash, State = ResourceState.Pending, Message = resource.Awaiting };
        }

        var failed = new List<string>();
        var waiting = new List<string>();
        foreach (var dependency in resource.DependsOn.Distinct(StringComparer.Ordinal))
        {
            var state = _outcomes.TryGetValue(dependency, out var outcome) ? outcome.State : ResourceState.Pending;
            if (state == ResourceState.Failed)
            {
                failed.Add(dependency);
            }
            else if (state != ResourceState.Ready)
            {
                waiting.Add(dependency);
            }
        }

        return failed.Count > 0
            ? new ResourceReport { Id = resource.Id, Hash = resource.Hash, State = ResourceState.Failed, Message = $"not applied: {Names(failed, "dependency", "dependencies")} failed" }
            : waiting.Count > 0
                ? new ResourceReport { Id = resource.Id, Hash = resource.Hash, State = ResourceState.Pending, Message = $"waiting for {string.Join(", ", waiting)} to be ready" }
                : null;
    }

    /// <summary>The outcome of a resource of this converge (applied, held or refused); the first report of an id counts.</summary>
    public void Record(ResourceReport report) => _outcomes.TryAdd(report.Id, report);

    private static string Names(List<string> ids, string one, string many) => $"{(ids.Count == 1 ? one : many)} {string.Join(", ", ids)}";
}
