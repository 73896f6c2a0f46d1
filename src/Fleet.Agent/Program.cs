using Fleet.Agent.Enrollment;
using Fleet.Agent.Hosting;
using Fleet.Agent.Import;
using Fleet.Agent.Runtime;

var (options, errors, help) = AgentCommandLine.Parse(args);
if (help)
{
    AgentCommandLine.WriteHelp(Console.Out);
    return 0;
}

if (options is null)
{
    foreach (var error in errors)
    {
        Console.Error.WriteLine($"error: {error}");
    }

    return AgentCommandLine.UsageExit;
}

using var loggers = LoggerFactory.Create(logging => logging
    .AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss "; })
    .SetMinimumLevel(LogLevel.Information));
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) =>
{
    try
    {
        stop.Cancel();
    }
    catch (ObjectDisposedException)
    {
        // Main already returned (e.g. enrollment refused): there is nothing left to stop.
    }
};

if (options.ImportFile is not null)
{
    // An air-gapped target: one bundle applied, one report written, no hub (SPEC §9).
    try
    {
        return await new BundleImport(options, loggers, Console.Out, Console.Error).RunAsync(stop.Token);
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
        Console.Error.WriteLine("error: interrupted; the import did not complete: run it again with the same bundle");
        return 1;
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException)
    {
        Console.Error.WriteLine($"error: {e.Message}; the import did not complete: run it again with the same bundle");
        return 1;
    }
}

AgentRuntime runtime;
try
{
    runtime = new AgentRuntime(options, loggers);
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException)
{
    // What the flags name cannot be used (a state directory that cannot be made, a kubeconfig that is no kubeconfig).
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

try
{
    await runtime.RunAsync(stop.Token);
}
catch (Exception e) when (e is EnrollmentException or InvalidDataException)
{
    // No identity, a refused token, an unreadable --ca: retrying would not help.
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
catch (AgentLoopException e)
{
    // The other loops are stopped already: exit non-zero so systemd or Kubernetes restarts the agent.
    loggers.CreateLogger("Fleet.Agent").LogCritical("Exiting with code 1 for a restart: {Reason} ({Type})", e.Message, e.InnerException?.GetType().Name);
    return 1;
}

return 0;
