namespace Fleet.Hub.Hosting;

/// <summary>
/// A problem with what the operator gave the hub (a file, a directory) found while starting: fleet-hub
/// prints the message as one <c>error:</c> line and exits 2, as for a bad flag.
/// </summary>
public sealed class HubStartupException(string message, Exception? inner = null) : Exception(message, inner);
