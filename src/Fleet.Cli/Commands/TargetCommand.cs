using System.CommandLine;
using Fleet.Cli.Connection;
using Fleet.Cli.Output;
using Fleet.Protocol.Security.V1;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet target revoke NAME</c>: the target's certificates stop being accepted and its stream ends.</summary>
internal static class TargetCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var command = new Command("target", "manage targets' access (admin)");
        var name = new Argument<string>("name") { Description = "the target" };
        var revoke = new Command("revoke", "cut a target off: its certificates are no longer accepted, its live stream ends") { name };
        revoke.SetAction((result, _) => CliAction.Run(console, async () =>
        {
            using var hub = global.Connect(result);
            var response = await hub.Security.RevokeTargetAsync(new RevokeTargetRequest { Name = result.GetValue(name)! }, deadline: hub.Deadline);
            console.Out.WriteLine($"target/{result.GetValue(name)} revoked ({response.Certificates} valid certificates, {response.Tokens} unused enrollment tokens)");
            return CliAction.Ok;
        }));
        command.Subcommands.Add(revoke);
        return command;
    }
}
