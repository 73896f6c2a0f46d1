using Fleet.Benchmarks;
using Spectre.Console;

// The templates benchmark runs in this process alone: no hub, no agents.
if (args is [TemplateBenchmarkOptions.Mode, ..])
{
    return TemplateBenchmark.RunCommandLine(args);
}

// The dashboard benchmark starts its own hub with a dashboard and a browser.
if (args is [DashboardBenchmarkOptions.Mode, ..])
{
    return await DashboardBenchmark.RunCommandLineAsync(args);
}

var (options, error) = BenchmarkOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine($"error: {error}");
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var root = Directory.CreateTempSubdirectory("fleet-bench-");
HubNodes? hub = null;
// Whatever happens, the hub does not outlive the benchmark.
AppDomain.CurrentDomain.ProcessExit += (_, _) => hub?.KillAll();
AnsiConsole.MarkupLine($"[bold]Fleet rollout benchmark[/]: {options.Targets} simulated agents, {options.Nodes} hub node(s) on {options.Storage}, {Environment.ProcessorCount} cores");
AnsiConsole.MarkupLine($"[grey]hub data and logs in {Markup.Escape(root.FullName)}[/]");
try
{
    hub = await HubNodes.CreateAsync(options, root.FullName);
    var result = await AnsiConsole.Status().StartAsync("starting", context =>
        new RolloutBenchmark(options, new Reporter(context)).RunAsync(hub, cancel.Token));
    ResultFile.Write(result, options.JsonFile);
    return 0;
}
catch (Exception e)
{
    var message = e switch
    {
        BenchmarkException => e.Message,
        OperationCanceledException => "cancelled",
        Grpc.Core.RpcException rpc => $"a call to the hub failed: {rpc.Status.StatusCode}: {rpc.Status.Detail}",
        _ => e.ToString(),
    };
    AnsiConsole.MarkupLine($"[red]benchmark failed:[/] {Markup.Escape(message)}");
    AnsiConsole.MarkupLine("[grey]last lines of the hub log:[/]");
    Console.Error.WriteLine(hub?.LogTail() ?? "(no hub started)");
    return 1;
}
finally
{
    if (hub is not null)
    {
        await hub.DisposeAsync();
    }

    if (options.Keep)
    {
        AnsiConsole.MarkupLine($"[grey]kept {Markup.Escape(root.FullName)}[/]");
    }
    else
    {
        try
        {
            root.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp directory is cleaned by the system later.
        }
    }
}
