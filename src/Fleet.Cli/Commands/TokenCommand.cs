using Fleet.Domain.Time;
using System.CommandLine;
using Fleet.Cli.Connection;
using Fleet.Cli.Output;
using Fleet.Protocol.Security.V1;
using Spectre.Console;

namespace Fleet.Cli.Commands;

/// <summary>
/// <c>fleet token create --role agent|viewer|operator|admin [--ttl D] [--description T] [--target NAME]</c>,
/// <c>fleet token list</c>, <c>fleet token revoke ID</c>. <c>create</c> prints the token alone on stdout,
/// so that <c>TOKEN=$(fleet token create ...)</c> works; what it is goes to stderr.
/// </summary>
internal static class TokenCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var command = new Command("token", "create, list and revoke access tokens (admin)");
        command.Subcommands.Add(CreateCommand(global, console));
        command.Subcommands.Add(ListCommand(global, console));
        command.Subcommands.Add(RevokeCommand(global, console));
        return command;
    }

    private static Command CreateCommand(GlobalOptions global, CliConsole console)
    {
        var role = new Option<string>("--role") { Description = "agent (enrolls one target, once), viewer, operator or admin", Required = true };
        role.AcceptOnlyFromAmong("agent", "viewer", "operator", "admin");
        var ttl = new Option<string?>("--ttl") { Description = "lifetime, e.g. 1h, 7d (agent tokens: default 1h, at most 7d; others: no expiry)" };
        var description = new Option<string?>("--description") { Description = "who or what it is for; shown in the audit log" };
        var target = new Option<string?>("--target") { Description = "agent tokens: the only target it may enroll (may replace an enrolled one)" };
        var command = new Command("create", "create a token and print it, alone, on stdout") { role, ttl, description, target };
        command.SetAction((result, _) => CliAction.Run(console, async () =>
        {
            var seconds = 0L;
            if (result.GetValue(ttl) is { } text)
            {
                if (!Durations.TryParse(text, out var lifetime) || lifetime < TimeSpan.FromSeconds(1))
                {
                    throw new UsageException($"--ttl: '{text}' is not a duration such as 30m, 12h or 7d");
                }

                seconds = (long)Math.Ceiling(lifetime.TotalSeconds);
            }

            using var hub = global.Connect(result);
            var response = await hub.Security.CreateTokenAsync(
                new CreateTokenRequest
                {
                    Role = result.GetValue(role)!,
                    TtlSeconds = seconds,
                    Description = result.GetValue(description) ?? "",
                    Target = result.GetValue(target) ?? "",
                },
                deadline: hub.Deadline);
            console.Out.WriteLine(response.Token);
            console.Error.WriteLine(response.Expires is null
                ? $"token {response.Id} ({result.GetValue(role)}), no expiry"
                : $"token {response.Id} ({result.GetValue(role)}), expires {response.Expires.ToDateTimeOffset():u}");
            return CliAction.Ok;
        }));
        return command;
    }

    private static Command ListCommand(GlobalOptions global, CliConsole console)
    {
        var command = new Command("list", "list tokens (never their secrets)");
        command.SetAction((result, _) => CliAction.Run(console, async () =>
        {
            using var hub = global.Connect(result);
            var tokens = await hub.Security.ListTokensAsync(new ListTokensRequest(), deadline: hub.Deadline);
            var format = global.Format(result);
            if (format == OutputFormat.Table)
            {
                console.Screen.Write(SecurityTables.Tokens(tokens.Items));
            }
            else
            {
                DataWriter.Write(SecurityShapes.List(tokens.Items.Select(SecurityShapes.Token)), format, console.Out);
            }

            return CliAction.Ok;
        }));
        return command;
    }

    private static Command RevokeCommand(GlobalOptions global, CliConsole console)
    {
        var id = new Argument<string>("id") { Description = "the token's id, as `fleet token list` shows it" };
        var command = new Command("revoke", "revoke a token: it stops working at once") { id };
        command.SetAction((result, _) => CliAction.Run(console, async () =>
        {
            using var hub = global.Connect(result);
            var response = await hub.Security.RevokeTokenAsync(new RevokeTokenRequest { Id = result.GetValue(id)! }, deadline: hub.Deadline);
            if (!response.Found)
            {
                return CliAction.Error(console, $"token {result.GetValue(id)} not found or already revoked", CliAction.Failed);
            }

            console.Out.WriteLine($"token/{result.GetValue(id)} revoked");
            return CliAction.Ok;
        }));
        return command;
    }
}
