using Spectre.Console;

namespace Fleet.Cli.Output;

/// <summary>
/// Where one run of the CLI reads and writes: stdin as bytes (so that input files and <c>-</c> are checked
/// as UTF-8 alike), stdout and stderr as text, and a Spectre console over stdout for tables, progress bars
/// and status lines. Only the program's entry point gives it the process's streams; tests give it their own,
/// so that a command runs in process exactly as it runs in a terminal whose output is piped.
/// </summary>
/// <remarks>
/// Spectre's <see cref="IAnsiConsole"/> rather than System.CommandLine's output writers, because the CLI renders
/// Spectre tables and live progress, which need a console; System.CommandLine's help and version text is sent to
/// the same writers (see <see cref="FleetCli"/>). Plain lines and data go to <see cref="Out"/> directly, never
/// through Spectre, which would wrap them at its width.
/// </remarks>
internal sealed class CliConsole
{
    /// <param name="screen">Renders onto <paramref name="output"/>.</param>
    public CliConsole(Stream input, TextWriter output, TextWriter error, IAnsiConsole screen)
    {
        Input = input;
        Out = output;
        Error = error;
        Screen = screen;
    }

    /// <summary>Standard input, read only by commands given <c>-</c>.</summary>
    public Stream Input { get; }

    /// <summary>Standard output: results and data (<c>-o json|yaml</c>).</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error: <c>error:</c> lines and what is said about a result rather than the result.</summary>
    public TextWriter Error { get; }

    /// <summary>Tables, progress and markup, rendered onto <see cref="Out"/>.</summary>
    public IAnsiConsole Screen { get; }

    /// <summary>
    /// Streams of the caller's: no colours and no live redraw, as for a process whose output is piped, so that what a
    /// test reads is what a script would.
    /// </summary>
    public static CliConsole Over(Stream input, TextWriter output, TextWriter error) =>
        new(input, output, error, AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        }));
}
