using System.CommandLine;
using Fleet.Cli.Connection;
using Fleet.Cli.Output;

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

    public HubClient Connect(ParseResult result) => new(HubAddress.Resolve(result.GetValue(Hub)));

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
