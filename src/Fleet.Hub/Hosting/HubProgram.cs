namespace Fleet.Hub.Hosting;

/// <summary>
/// fleet-hub's main: flags, then the host. A bad command line or a problem with the operator's files
/// is one <c>error:</c> line and exit 2; nothing else goes to stderr and no stack trace is shown.
/// </summary>
internal static class HubProgram
{
    public const int Invalid = 2;
    public const int Failed = 1;

    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = HubCommandLine.Parse(args);
        if (parsed.Help is { } help)
        {
            help(Console.Out);
            return 0;
        }

        if (parsed.Options is not { } options)
        {
            foreach (var error in parsed.Errors)
            {
                Console.Error.WriteLine($"error: {error}");
            }

            return Invalid;
        }

        try
        {
            await using var app = HubHost.Build(options);
            await app.StartAsync();
            var data = Path.GetFullPath(options.DataDirectory);
            Console.WriteLine(options.Insecure
                ? $"fleet-hub listening on {options.EffectiveUrls} (plaintext, no authentication: --insecure), data in {data}"
                : $"fleet-hub listening on {options.EffectiveUrls} (TLS; clients trust {Path.Combine(data, "ca.crt")}, admin token in {Path.Combine(data, "admin.token")}), data in {data}");
            await app.WaitForShutdownAsync();
            return 0;
        }
        catch (Exception e) when (Find<HubStartupException>(e) is { } startup)
        {
            return Error(startup.Message, Invalid);
        }
        catch (Exception e) when (Find<IOException>(e) is { } io)
        {
            // Typically an address already in use, or a disk that refuses a write.
            return Error($"fleet-hub could not start: {io.Message}", Invalid);
        }
        catch (Exception e) when (Find<UnauthorizedAccessException>(e) is { } denied)
        {
            return Error($"fleet-hub could not start: {denied.Message}", Invalid);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug of ours: one line; FLEET_DEBUG=1 shows the stack for a report.
            var detail = Environment.GetEnvironmentVariable("FLEET_DEBUG") == "1" ? e.ToString() : $"{e.GetType().Name}: {e.Message}";
            return Error($"fleet-hub failed unexpectedly (please report it): {detail}", Failed);
        }
    }

    private static int Error(string message, int code)
    {
        Console.Error.WriteLine($"error: {message}");
        return code;
    }

    /// <summary>The host and Orleans wrap what a start task threw; the operator needs the innermost cause.</summary>
    private static T? Find<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }

            if (e is AggregateException { InnerExceptions.Count: > 0 } aggregate)
            {
                return aggregate.InnerExceptions.Select(Find<T>).FirstOrDefault(x => x is not null);
            }
        }

        return null;
    }
}
