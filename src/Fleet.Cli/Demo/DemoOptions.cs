namespace Fleet.Cli.Demo;

internal sealed record DemoOptions(string? Directory, bool Keep, int Agents);
