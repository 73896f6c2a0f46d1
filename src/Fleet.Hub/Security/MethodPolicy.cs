using Google.Protobuf;

namespace Fleet.Hub.Security;

/// <summary>
/// How one gRPC method is guarded: who may call it, whether it changes anything (then every call is
/// audited), and how to name the object it acts on from its request and, once answered, its response.
/// </summary>
internal sealed record MethodPolicy(MethodAccess Access, bool Mutating, Func<IMessage, IMessage?, string>? Describe = null)
{
    public string DescribeObject(IMessage request, IMessage? response)
    {
        try
        {
            return Describe?.Invoke(request, response) ?? "";
        }
        catch (InvalidCastException)
        {
            // A describer written for another message type: the audit still records the call.
            return "";
        }
    }
}
