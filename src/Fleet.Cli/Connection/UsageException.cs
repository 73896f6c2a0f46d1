namespace Fleet.Cli.Connection;

/// <summary>The user asked for something invalid: exit code 2, nothing changed.</summary>
internal sealed class UsageException(string message) : Exception(message);
