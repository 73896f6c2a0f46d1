namespace Fleet.Cli.Tests.EndToEnd;

/// <summary>The capability the end-to-end tests apply: one templated file on every env=dev target.</summary>
internal static class HelloCapability
{
    public static string Yaml(string version, string rollout = "") => $$"""
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata:
          name: hello
        spec:
          version: "{{version}}"
          placement:
            selector:
              matchLabels: { env: dev }
          resources:
            - id: hello
              file:
                path: etc/hello.txt
                content: "hello ${target.name} v{{version}}"
          {{rollout}}
        """;
}
