using Fleet.Domain.Serialization;
using Fleet.Protocol.Agent.V1;
using Google.Protobuf;

namespace Fleet.Hub.Targets;

/// <summary>Sizes on the wire of a desired set's parts, as <see cref="Domain.Rendering.DesiredSetFit"/> counts them.</summary>
internal static class DesiredSetSize
{
    /// <summary>The set's own field: its hash (always a sha256 of one length).</summary>
    public static readonly long Fixed = 1 + CodedOutputStream.ComputeStringSize(ContentHash.Of(""));

    /// <summary>One capability as an element of <c>DesiredSet.capabilities</c>: its tag, length and message.</summary>
    public static long Of(DesiredCapability capability) => 1 + CodedOutputStream.ComputeMessageSize(capability);
}
