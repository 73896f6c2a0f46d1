using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace Fleet.Benchmarks;

/// <summary>
/// Where a benchmark's figures go, the same for every mode so that one reader takes them all: indented camelCase JSON
/// (NaN where the machine could not give a figure, such as the load average off Linux; text as written, not
/// \u-escaped) to the <c>--json</c> file, its folder made first, and to stdout.
/// </summary>
internal static class ResultFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Write<T>(T result, string path)
    {
        var json = JsonSerializer.Serialize(result, Json);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, json + "\n");
        Console.WriteLine(json);
        AnsiConsole.MarkupLine($"[green]written to {Markup.Escape(path)}[/]");
    }
}
