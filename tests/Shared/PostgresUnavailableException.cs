namespace Fleet.Tests.Shared;

/// <summary>No PostgreSQL server can be started on this machine (a missing dependency, not a failure of the code under test).</summary>
internal sealed class PostgresUnavailableException(string message) : Exception(message);
