using Fleet.Domain.Time;
using System.CommandLine;
using Fleet.Cli.Connection;
using Fleet.Cli.Output;
using Fleet.Protocol.Security.V1;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet audit [--since DURATION] [--limit N] [-o json]</c>: who changed what, when, and how it ended.</summary>
internal static class AuditCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var since = new Option<string?>("--since") { Description = "only records newer than this, e.g. 1h, 7d" };
        var limit = new Option<int>("--limit") { Description = "at most this many of the newest records (1-10000)", DefaultValueFactory = _ => 1000 };
        var command = new Command("audit", "the audit log: every change made through the hub (admin)") { since, limit };
        command.SetAction((result, _) => CliAction.Run(console, async () =>
        {
            var request = new ListAuditRequest { Limit = result.GetValue(limit) };
            if (request.Limit is < 1 or > 10_000)
            {
                throw new UsageException("--limit must be between 1 and 10000");
            }

            if (result.GetValue(since) is { } text)
            {
                if (!Durations.TryParse(text, out var window))
                {
                    throw new UsageException($"--since: '{text}' is not a duration such as 30m, 12h or 7d");
                }

                request.Since = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow - window);
            }

            using var hub = global.Connect(result);
            var audit = await hub.Security.ListAuditAsync(request, deadline: hub.Deadline);
            var format = global.Format(result);
            if (format == OutputFormat.Table)
            {
                console.Screen.Write(SecurityTables.Audit(audit.Items));
            }
            else
            {
                DataWriter.Write(SecurityShapes.List(audit.Items.Select(SecurityShapes.Audit)), format, console.Out);
            }

            return CliAction.Ok;
        }));
        return command;
    }
}
