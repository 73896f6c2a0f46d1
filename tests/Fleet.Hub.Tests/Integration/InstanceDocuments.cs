namespace Fleet.Hub.Tests.Integration;

/// <summary>A capability that takes inputs, and Instances of it, as the instance tests apply them.</summary>
internal static class InstanceDocuments
{
    public static string Database(string version = "1", string extraInput = "", string trigger = "auto") => $$"""
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata:
          name: database
        spec:
          version: "{{version}}"
          inputs:
            team: string | required=true
            size: integer | default=10 minimum=1 maximum=100
            tier: string | default=standard enum=standard,premium
        {{extraInput}}
          placement:
            selector:
              matchLabels: { env: dev }
          resources:
            - id: config
              file:
                path: "db/${instance.name}.conf"
                content: "team=${inputs.team} size=${inputs.size} tier=${inputs.tier} on ${target.name} v{{version}}"
          rollout:
            trigger: {{trigger}}
        """;

    public static string Instance(string name, string inputs) => $$"""
        apiVersion: fleet/v1alpha1
        kind: Instance
        metadata:
          name: {{name}}
        spec:
          capability: database
          inputs: {{inputs}}
        """;
}
