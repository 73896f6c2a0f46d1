using System.CommandLine;
using Fleet.Cli.Connection;
using Fleet.Cli.Output;
using Fleet.Domain.Time;

namespace Fleet.Cli.Commands;

/// <summary>Options every command understands (SPEC §1 CLI: <c>--hub</c>, <c>-o</c>).</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Hub { get; } = new("--hub")
    {
        Description = "hub address (else $FLEET_HUB, else https://127.0.0.1:7400); http:// means a plaintext --insecure hub",
        Recursive = true,
    };

    public Option<string> Output { get; } = CreateOutput();

    public Option<string?> Token { get; } = new("--token")
    {
        Description = "operator token (else $FLEET_TOKEN); sent only to https:// hubs",
        Recursive = true,
    };

    public Option<string?> Ca { get; } = new("--ca")
    {
        Description = "the hub's CA certificate to trust, e.g. the hub's DATA-DIR/ca.crt (else $FLEET_CA, else the system's)",
        Recursive = true,
    };

    public Option<string?> Timeout { get; } = new("--timeout")
    {
        Description = "how long to wait for each answer of the hub, e.g. 10s, 2m (default 30s)",
        Recursive = true,
    };

    public HubClient Connect(ParseResult result) =>
        new(HubAddress.Resolve(result.GetValue(Hub)), HubCredentials.Token(result.GetValue(Token)), HubCredentials.CaFile(result.GetValue(Ca)), CallTimeout(result));

    private TimeSpan CallTimeout(ParseResult result)
    {
        if (result.GetValue(Timeout) is not { } text)
        {
            return HubClient.DefaultTimeout;
        }

        return Durations.TryParse(text, out var timeout) && timeout > TimeSpan.Zero
            ? timeout
            : throw new UsageException($"--timeout: '{text}' is not a duration longer than 0s, such as 10s or 2m");
    }

    public OutputFormat Format(ParseResult result) => result.GetValue(Output) switch
    {
        "json" => OutputFormat.Json,
        "yaml" => OutputFormat.Yaml,
        _ => OutputFormat.Table,
    };

    private static Option<string> CreateOutput()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "output format: table, json or yaml",
            DefaultValueFactory = _ => "table",
            Recursive = true,
        };
        option.AcceptOnlyFromAmong("table", "json", "yaml");
        return option;
    }
}
