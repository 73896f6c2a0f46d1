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
            Revision = rendered.Revision,
            Hash = rendered.Hash,
            Error = rendered.Error ?? "",
        };
        foreach (var resource in rendered.Resources)
        {
            var wire = new Resource { Id = resource.Id, Hash = resource.Hash };
            if (resource.File is { } file)
            {
                wire.File = new FileResource { Path = file.Path, Content = file.Content, Mode = file.Mode };
            }

            message.Resources.Add(wire);
        }

        return message;
    }
}
