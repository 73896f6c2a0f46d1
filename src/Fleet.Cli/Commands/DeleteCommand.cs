using System.CommandLine;
using Fleet.Cli.Connection;
using Fleet.Cli.Output;
using Fleet.Protocol.Admin.V1;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet delete capability|instance NAME</c>: agents then remove what it created on their targets.</summary>
internal static class DeleteCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var kind = new Argument<string>("kind") { Description = "capability or instance" };
        var name = new Argument<string>("name");
        var command = new Command("delete", "remove a capability or an instance from the hub and from every target") { kind, name };
        command.SetAction((result, _) => CliAction.Run(console, async () =>
        {
            var k = ResourceKinds.Parse(result.GetValue(kind)!) switch
            {
                ResourceKind.Capability => "capability",
                ResourceKind.Instance => "instance",
                _ => throw new UsageException("only capabilities and instances can be deleted"),
            };
            var n = result.GetValue(name)!;
            using var hub = global.Connect(result);
            var response = await hub.Admin.DeleteAsync(new DeleteRequest { Kind = k, Name = n }, deadline: hub.Deadline);
            if (!response.Found)
            {
                return CliAction.Error(console, $"{k} {n} not found", CliAction.Failed);
            }

            console.Out.WriteLine($"{k}/{n} deleted");
            return CliAction.Ok;
        }));
        return command;
    }
}
