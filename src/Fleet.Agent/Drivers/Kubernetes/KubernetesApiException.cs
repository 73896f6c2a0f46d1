using System.Net;

namespace Fleet.Agent.Drivers.Kubernetes;

/// <summary>The API server answered with an error status; <see cref="Message"/> carries its Status message.</summary>
internal sealed class KubernetesApiException(HttpStatusCode status, string reason, string message)
    : Exception($"{(int)status} {reason}: {message}")
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>The Status object's reason, e.g. <c>Conflict</c>, <c>NotFound</c>, <c>Forbidden</c>.</summary>
    public string Reason { get; } = reason;
}
