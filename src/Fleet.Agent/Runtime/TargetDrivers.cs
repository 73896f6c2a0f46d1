using Fleet.Agent.Drivers;
using Fleet.Agent.Drivers.Exec;
using Fleet.Agent.Drivers.Files;
using Fleet.Agent.Drivers.Git;
using Fleet.Agent.Drivers.Kubernetes;
using Fleet.Agent.Hosting;

namespace Fleet.Agent.Runtime;

/// <summary>The driver <c>--driver</c> names, made once here for both ways the agent runs: connected, and <c>--import</c>.</summary>
internal static class TargetDrivers
{
    public static ITargetDriver Create(AgentOptions options, TimeProvider time, ILoggerFactory loggers) => options.Driver switch
    {
        "files" => new FilesDriver(options.Root!, options.StateDirectory, time, loggers.CreateLogger<FilesDriver>()),
        "exec" => new ExecDriver(options.StateDirectory, new ExecOptions(), time, loggers.CreateLogger<ExecDriver>()),
        "kubernetes" => new KubernetesDriver(
            new KubernetesApi(KubernetesConnection.Configure(options.Kubeconfig, options.KubeContext)),
            options.StateDirectory,
            new KubernetesDriverOptions { ForceConflicts = options.ForceConflicts },
            Domain.Rendering.TemplateEnvironment.Engine,
            loggers.CreateLogger<KubernetesDriver>()),
        "git" => new GitDriver(options.StateDirectory, options.Git!, time, loggers.CreateLogger<GitDriver>()),
        _ => throw new ArgumentException($"driver '{options.Driver}' is not available in this agent build", nameof(options)),
    };
}
