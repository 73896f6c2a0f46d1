namespace Fleet.Tests.Shared;

/// <summary>No headless chromium can be started on this machine (a missing dependency, not a failure of the code under test).</summary>
internal sealed class ChromiumUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
