using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Fleet.Hub.Tests.Hosting;

/// <summary>
/// A container's args as the kubelet passes them: every <c>$(VAR)</c> replaced by the container's env, whose
/// values come from literals, the rendered ConfigMaps, the downward API (the pod IP) or the Secrets the
/// operator creates (given by the test, as "SECRET/KEY"). A reference the env does not define fails the
/// test: the kubelet would pass it through literally.
/// </summary>
internal static partial class PodCommandLine
{
    public static string[] Expand(YamlMappingNode container, RenderedManifests rendered, IReadOnlyDictionary<string, string> secrets, string podIp)
    {
        var environment = Environment(container, rendered, secrets, podIp);
        return
        [
            .. container.Strings("args").Select(arg => Reference().Replace(arg, match =>
                environment.TryGetValue(match.Groups[1].Value, out var value)
                    ? value
                    : throw new Xunit.Sdk.XunitException($"{rendered.Directory}: container {container.Text("name")} uses $({match.Groups[1].Value}) but its env does not define it"))),
        ];
    }

    /// <summary>The env variable a whole argument refers to (the value of --postgres being "$(FLEET_POSTGRES)"), or null.</summary>
    public static string? WholeReference(string arg) => Reference().Match(arg) is { Success: true } match && match.Length == arg.Length ? match.Groups[1].Value : null;

    /// <summary>The env entry named <paramref name="name"/> of <paramref name="container"/>.</summary>
    public static YamlMappingNode Variable(YamlMappingNode container, string name) =>
        Assert.Single(container.Items("env"), e => e.Text("name") == name);

    private static Dictionary<string, string> Environment(YamlMappingNode container, RenderedManifests rendered, IReadOnlyDictionary<string, string> secrets, string podIp)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in container.Items("env"))
        {
            var name = variable.Text("name");
            var from = variable.MapOrNull("valueFrom");
            if (from is null)
            {
                environment[name] = variable.Text("value");
            }
            else if (from.MapOrNull("fieldRef") is { } field)
            {
                Assert.Equal("status.podIP", field.Text("fieldPath"));
                environment[name] = podIp;
            }
            else if (from.MapOrNull("secretKeyRef") is { } secret)
            {
                var key = $"{secret.Text("name")}/{secret.Text("key")}";
                Assert.True(secrets.TryGetValue(key, out var value), $"{rendered.Directory}: env {name} reads Secret key {key}, which the test gives no value");
                environment[name] = value;
            }
            else if (from.MapOrNull("configMapKeyRef") is { } config)
            {
                var data = rendered.Single("ConfigMap", config.Text("name")).MapOrNull("data").Strings();
                Assert.True(data.TryGetValue(config.Text("key"), out var value), $"{rendered.Directory}: env {name} reads ConfigMap {config.Text("name")} key {config.Text("key")}, which it does not have");
                environment[name] = value;
            }
            else
            {
                Assert.Fail($"{rendered.Directory}: env {name} has a source this test does not know");
            }
        }

        return environment;
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();
}
