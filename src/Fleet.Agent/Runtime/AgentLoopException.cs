namespace Fleet.Agent.Runtime;

/// <summary>
/// One of the agent's long-running loops ended with an exception: the agent stopped the others and cannot go on.
/// The process exits non-zero so that its supervisor (systemd, Kubernetes) restarts it.
/// </summary>
internal sealed class AgentLoopException(string loop, Exception cause)
    : Exception($"the {loop} loop stopped: {cause.Message}", cause)
{
    /// <summary>Which loop ended: reconcile, hub connection or certificate renewal.</summary>
    public string Loop { get; } = loop;
}
