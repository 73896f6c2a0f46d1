namespace Fleet.Hub.Hosting;

/// <summary>What fleet-hub's command line asks for: options to serve with, or errors, or help.</summary>
/// <param name="Options">Null when there are <paramref name="Errors"/> or when help was asked for.</param>
/// <param name="Help">Writes the help text (every flag with its default); null unless --help was given.</param>
internal sealed record HubCommandLineResult(HubOptions? Options, IReadOnlyList<string> Errors, Action<TextWriter>? Help);
