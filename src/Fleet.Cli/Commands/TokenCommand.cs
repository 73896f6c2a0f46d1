using Fleet.Domain.Time;
using Fleet.Domain.Validation;
using System.CommandLine;
using Fleet.Cli.Connection;
using Fleet.Cli.Output;
using Fleet.Protocol.Security.V1;
using Spectre.Console;

namespace Fleet.Cli.Commands;

/// <summary>
/// <c>fleet token create --role agent|viewer|operator|admin [--ttl D] [--description T] [--target NAME]
/// [--label K=V ...] [--allow-label-keys K1,K2] [--driver D]</c>,
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
        var labels = new Option<string[]>("--label")
        {
            Description = "agent tokens: a label K=V fixed at enrollment (repeatable); the agent may not change it",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var allowedKeys = new Option<string[]>("--allow-label-keys")
        {
            Description = "agent tokens: label keys the agent may still set itself, comma-separated (repeatable); other labels are fixed",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var driver = new Option<string?>("--driver") { Description = "agent tokens: the only driver the agent may run (files, exec, kubernetes)" };
        var command = new Command("create", "create a token and print it, alone, on stdout") { role, ttl, description, target, labels, allowedKeys, driver };
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

            var request = new CreateTokenRequest
            {
                Role = result.GetValue(role)!,
                TtlSeconds = seconds,
                Description = result.GetValue(description) ?? "",
                Target = result.GetValue(target) ?? "",
                Driver = result.GetValue(driver) ?? "",
            };
            AddEnrollment(request, result.GetValue(labels) ?? [], result.GetValue(allowedKeys) ?? []);
            using var hub = global.Connect(result);
            var response = await hub.Security.CreateTokenAsync(request, deadline: hub.Deadline);
            console.Out.WriteLine(response.Token);
            console.Error.WriteLine(response.Expires is null
                ? $"token {response.Id} ({result.GetValue(role)}), no expiry"
                : $"token {response.Id} ({result.GetValue(role)}), expires {response.Expires.ToDateTimeOffset():u}");
            return CliAction.Ok;
        }));
        return command;
    }

    /// <summary>Checks --label and --allow-label-keys here, so a typo is a usage error before anything is sent.</summary>
    private static void AddEnrollment(CreateTokenRequest request, string[] labels, string[] allowedKeys)
    {
        if (request.Role != "agent" && (labels.Length > 0 || allowedKeys.Length > 0 || request.Driver.Length > 0))
        {
            throw new UsageException($"--label, --allow-label-keys and --driver apply to --role agent only, not {request.Role}");
        }

        foreach (var label in labels)
        {
            var parts = label.Split('=', 2);
            if (parts.Length != 2 || !NameRules.IsLabelKey(parts[0]) || !NameRules.IsLabelValue(parts[1]))
            {
                throw new UsageException($"--label: '{label}' is not KEY=VALUE with a Kubernetes label key and value");
            }

            if (!request.Labels.TryAdd(parts[0], parts[1]))
            {
                throw new UsageException($"--label: key '{parts[0]}' is given twice");
            }
        }

        foreach (var key in allowedKeys.SelectMany(k => k.Split(',', StringSplitOptions.TrimEntries)))
        {
            if (!NameRules.IsLabelKey(key))
            {
                throw new UsageException($"--allow-label-keys: '{key}' is not a Kubernetes label key");
            }

            if (request.Labels.ContainsKey(key))
            {
                throw new UsageException($"--allow-label-keys: '{key}' is also fixed with --label; choose one");
            }

            request.AllowedLabelKeys.Add(key);
        }
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
