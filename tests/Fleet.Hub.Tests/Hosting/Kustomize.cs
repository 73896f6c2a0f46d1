using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Fleet.Hub.Tests.Hosting;

/// <summary>
/// deploy/ as <c>kubectl kustomize</c> renders it: what <c>kubectl apply -k</c> would send. Without kubectl a
/// test that needs it is skipped with the reason, except under <c>CI=true</c>, where it fails: CI has kubectl
/// and must not pass by skipping.
/// </summary>
internal static class Kustomize
{
    public const string DeployDirectory = "deploy";

    private static readonly TimeSpan RenderTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Every directory of deploy/ with a kustomization.yaml, as "deploy/hub/base", in order; not the Kustomize
    /// Components, which render only as part of a kustomization that uses them.
    /// </summary>
    public static IReadOnlyList<string> Directories() =>
    [
        .. System.IO.Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), DeployDirectory), "kustomization.yaml", SearchOption.AllDirectories)
            .Where(file => !File.ReadLines(file).Any(line => line.TrimEnd() == "kind: Component"))
            .Select(file => Path.GetRelativePath(RepositoryRoot(), Path.GetDirectoryName(file)!).Replace('\\', '/'))
            .Order(StringComparer.Ordinal),
    ];

    public static RenderedManifests Render(string directory)
    {
        var kubectl = FindKubectl();
        var info = new ProcessStartInfo(kubectl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("kustomize");
        info.ArgumentList.Add(Path.Combine(RepositoryRoot(), directory));
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(RenderTimeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"kubectl kustomize {directory} did not finish within {RenderTimeout.TotalSeconds:0} s");
        }

        Assert.True(process.ExitCode == 0, $"kubectl kustomize {directory} exited {process.ExitCode}: {stderr.Result}");
        var text = stdout.Result;
        var yaml = new YamlStream();
        using (var reader = new StringReader(text))
        {
            yaml.Load(reader);
        }

        return new RenderedManifests(directory, text, [.. yaml.Documents.Select(d => Assert.IsType<YamlMappingNode>(d.RootNode))]);
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Fleet.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Fleet.sln above {AppContext.BaseDirectory}");
    }

    private static string FindKubectl()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, OperatingSystem.IsWindows() ? "kubectl.exe" : "kubectl"))
            .FirstOrDefault(File.Exists);
        if (found is not null)
        {
            return found;
        }

        const string Reason = "kubectl is not on PATH: the deploy/ kustomizations cannot be rendered";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"CI=true and {Reason}");
        }

        Assert.Skip(Reason);
        return "";
    }
}
