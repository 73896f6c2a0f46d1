using Fleet.Cli.Connection;
using Fleet.Cli.Output;
using Grpc.Core;

namespace Fleet.Cli.Commands;

/// <summary>
/// Runs a command body and turns failures into the SPEC's exit codes: 2 for invalid input (nothing
/// changed), 1 for an operation that failed (hub unreachable, not found, ...). Errors go to stderr
/// and start with <c>error:</c>.
/// </summary>
internal static class CliAction
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Invalid = 2;

    public static async Task<int> Run(CliConsole console, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (UsageException e)
        {
            return Error(console, e.Message, Invalid);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument)
        {
            return Error(console, e.Status.Detail, Invalid);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.NotFound)
        {
            return Error(console, e.Status.Detail, Failed);
        }
        catch (RpcException e) when (StorageUnavailableAnswer.Is(e))
        {
            // The hub refused the call and changed nothing; its words say what is wrong.
            return Error(console, e.Status.Detail, Failed);
        }
        catch (HubUnreachableException e)
        {
            return Error(console, e.Message, Failed);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            // Calls go through HubFailureInterceptor, which says more; this is what is left should one not.
            return Error(console, $"cannot reach the hub: {(string.IsNullOrWhiteSpace(e.Status.Detail) ? e.StatusCode.ToString() : e.Status.Detail)}", Failed);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Cancelled)
        {
            return Error(console, "interrupted", Failed);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.FailedPrecondition)
        {
            return Error(console, e.Status.Detail, Failed);
        }
        catch (RpcException e)
        {
            return Error(console, $"the hub answered {e.StatusCode}: {e.Status.Detail}", Failed);
        }
        catch (UnauthorizedAccessException e)
        {
            // Only paths the user named (input files, --ca) are opened: the input cannot be used.
            return Error(console, e.Message, Invalid);
        }
        catch (IOException e)
        {
            return Error(console, e.Message, Failed);
        }
        catch (OperationCanceledException)
        {
            return Error(console, "interrupted", Failed);
        }
        catch (Exception e)
        {
            // A bug of ours: say what happened in one line; FLEET_DEBUG=1 shows the stack for a report.
            var detail = Environment.GetEnvironmentVariable("FLEET_DEBUG") == "1" ? e.ToString() : $"{e.GetType().Name}: {e.Message}";
            return Error(console, $"unexpected failure (please report it): {detail}", Failed);
        }
    }

    public static int Error(CliConsole console, string message, int code)
    {
        console.Error.WriteLine($"error: {message}");
        return code;
    }
}
