namespace Fleet.Hub.Tests.Integration;

/// <summary>YAML documents the integration tests apply.</summary>
internal static class Capabilities
{
    public static string Greeter(string version, string selector = "env: dev", string extra = "") => $$"""
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata:
          name: greeter
        spec:
          version: "{{version}}"
          placement:
            selector:
              matchLabels: { {{selector}} }
          resources:
            - id: hello
              file:
                path: etc/greeter/hello.txt
                content: "hello ${target.name} in ${target.labels.region} v{{version}}"
        {{extra}}
        """;

    public const string ExtraResource = """
            - id: extra
              file:
                path: etc/greeter/extra.txt
                content: "${target.labels.env}-extra"
        """;
}
