using System.CommandLine;
using Fleet.Cli.Connection;
using Fleet.Protocol.Admin.V1;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet delete capability NAME</c>: agents then remove what it created on their targets.</summary>
internal static class DeleteCommand
{
    public static Command Create(GlobalOptions global)
    {
        var kind = new Argument<string>("kind") { Description = "capability" };
        var name = new Argument<string>("name");
        var command = new Command("delete", "remove a capability from the hub and from every target") { kind, name };
        command.SetAction((result, _) => CliAction.Run(async () =>
        {
            if (ResourceKinds.Parse(result.GetValue(kind)!) != ResourceKind.Capability)
            {
                throw new UsageException("only capabilities can be deleted");
            }

            var n = result.GetValue(name)!;
            using var hub = global.Connect(result);
            var response = await hub.Admin.DeleteAsync(new DeleteRequest { Kind = "capability", Name = n }, deadline: HubClient.Deadline);
            if (!response.Found)
            {
                return CliAction.Error($"capability {n} not found", CliAction.Failed);
            }

            Console.WriteLine($"capability/{n} deleted");
            return CliAction.Ok;
        }));
        return command;
    }
}
