using System.Text;
using System.Text.Json.Nodes;
using Fleet.Agent.Drivers.Git;

namespace Fleet.Agent.Tests.Drivers.Git;

/// <summary>A rendered manifest as the YAML file the git driver commits: the same JSON when read back, the same bytes every time.</summary>
public sealed class ManifestYamlTests
{
    [Fact]
    public void Write_StringsYamlWouldMisread_AreQuotedAndOtherValuesKeepTheirType()
    {
        var manifest = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","labels":{"app.kubernetes.io/name":"web"}},
             "data":{"enabled":"true","version":"1.0","empty":"","none":"null","octal":"0755","star":"*x","lines":"a\nb","colon":"a: b","path":"/etc/motd"},
             "spec":{"replicas":2,"ratio":0.5,"on":true,"nothing":null,"ports":[80,"8080"]}}
            """)!;

        var yaml = Encoding.UTF8.GetString(ManifestYaml.Write(manifest));

        Assert.Equal("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: x
              labels:
                app.kubernetes.io/name: web
            data:
              enabled: "true"
              version: "1.0"
              empty: ""
              none: "null"
              octal: "0755"
              star: "*x"
              lines: "a\nb"
              colon: "a: b"
              path: /etc/motd
            spec:
              replicas: 2
              ratio: 0.5
              "on": true
              nothing: null
              ports:
              - 80
              - "8080"

            """.Replace("\r\n", "\n", StringComparison.Ordinal), yaml);
        Assert.Equal(yaml, Encoding.UTF8.GetString(ManifestYaml.Write(manifest.DeepClone())));
    }
}
