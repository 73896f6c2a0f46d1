namespace Fleet.Agent.Runtime;

/// <summary>The hub refused this agent's stream (bad name, bad labels...): retrying soon will not help much.</summary>
internal sealed class AgentRejectedException(string reason) : Exception($"the hub refused this agent: {reason}");
