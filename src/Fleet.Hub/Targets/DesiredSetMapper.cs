using Fleet.Domain.Rendering;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Hub.Targets;

/// <summary>Rendered domain objects to the agent wire format.</summary>
internal static class DesiredSetMapper
{
    public static DesiredCapability ToMessage(RenderedCapability rendered)
    {
        var message = new DesiredCapability
        {
            Key = rendered.Key,
            Capability = rendered.Capability,
            Instance = Rollouts.DeliveryKeys.Split(rendered.Key).Instance ?? "",
            Revision = rendered.Revision,
            Hash = rendered.Hash,
            Error = rendered.Error ?? "",
        };
        foreach (var resource in rendered.Resources)
        {
            message.Resources.Add(ToMessage(resource));
        }

        return message;
    }

    private static Resource ToMessage(RenderedResource resource)
    {
        var wire = new Resource { Id = resource.Id, Hash = resource.Hash, DependsOn = { resource.DependsOn }, Awaiting = resource.Awaiting ?? "" };
        if (resource.File is { } file)
        {
            wire.File = new FileResource { Path = file.Path, Content = file.Content, Mode = file.Mode };
        }
        else if (resource.Manifest is { } manifest)
        {
            wire.Manifest = new ManifestResource { Json = manifest.Json, ReadyWhen = { manifest.ReadyWhen } };
        }
        else if (resource.Exec is { } exec)
        {
            var wireExec = new ExecResource { TimeoutSeconds = exec.TimeoutSeconds, Command = { exec.Command } };
            foreach (var (key, value) in exec.Env)
            {
                wireExec.Env[key] = value;
            }

            if (exec.Stdin is not null)
            {
                wireExec.Stdin = exec.Stdin;
            }

            if (exec.Check is not null)
            {
                wireExec.Check.Add(exec.Check);
            }

            if (exec.Delete is not null)
            {
                wireExec.Delete.Add(exec.Delete);
            }

            wire.Exec = wireExec;
        }

        return wire;
    }
}
