using Fleet.Agent.Hosting;
using Fleet.Agent.Runtime;

var (options, errors, help) = AgentOptionsParser.Parse(args);
if (help)
{
    Console.WriteLine(AgentOptionsParser.Usage);
    return 0;
}

if (options is null)
{
    foreach (var error in errors)
    {
        Console.Error.WriteLine($"error: {error}");
    }

    Console.Error.WriteLine(AgentOptionsParser.Usage);
    return 2;
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

try
{
    var runtime = new AgentRuntime(options, loggers);
    await runtime.RunAsync(stop.Token);
}
catch (Exception e) when (e is Fleet.Agent.Enrollment.EnrollmentException or InvalidDataException)
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
