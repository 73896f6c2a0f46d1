using k8s;
using k8s.Exceptions;

namespace Fleet.Agent.Drivers.Kubernetes;

/// <summary>Which cluster the agent manages: <c>--kubeconfig/--context</c>, else in-cluster, else the default kubeconfig.</summary>
internal static class KubernetesConnection
{
    /// <exception cref="InvalidDataException">No usable configuration: the agent stops with this message, as retrying would not help.</exception>
    public static KubernetesClientConfiguration Configure(string? kubeconfig, string? context)
    {
        try
        {
            if (kubeconfig is null && context is null && KubernetesClientConfiguration.IsInCluster())
            {
                return KubernetesClientConfiguration.InClusterConfig();
            }

            // A null path means $KUBECONFIG, then ~/.kube/config, as kubectl does.
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig, context);
        }
        catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
        {
            throw new InvalidDataException($"kubernetes driver: no usable cluster configuration ({kubeconfig ?? "in-cluster or ~/.kube/config"}{(context is null ? "" : $", context {context}")}): {e.Message}", e);
        }
    }
}
