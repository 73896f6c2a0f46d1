namespace Fleet.Cli.Connection;

/// <summary>The hub did not answer a call: which hub, and what happened (refused, no answer in time, TLS refused, ...).</summary>
internal sealed class HubUnreachableException(string message, Exception inner) : Exception(message, inner);
