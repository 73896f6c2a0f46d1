using System.Runtime.InteropServices;
using Fleet.Cli;
using Fleet.Cli.Output;
using Spectre.Console;

// The only place that touches the process's console and signals: every command reads and writes through
// CliConsole, so that tests run them in process. The first Ctrl+C or SIGTERM asks the command to stop (a
// watch ends, the demo tears its fleet down); a second one ends the process at once.
using var interrupt = new CancellationTokenSource();
void Interrupt(PosixSignalContext context)
{
    context.Cancel = !interrupt.IsCancellationRequested;
    interrupt.Cancel();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
var console = new CliConsole(Console.OpenStandardInput(), Console.Out, Console.Error, AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) }));
return await FleetCli.RunAsync(args, console, interrupt.Token);
