using Fleet.Domain.Expressions;
using Fleet.Domain.Model;
using Fleet.Domain.Rendering;
using Fleet.Domain.Yaml;

namespace Fleet.Domain.Tests.Yaml;

/// <summary>The manifest and exec resource kinds and readyWhen, as read from YAML.</summary>
public sealed class ResourceKindParserTests
{
    private static readonly IExpressionEngine Engine = TemplateEnvironment.Engine;

    private static string Document(string resources) => $"""
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata:
          name: web
        spec:
          resources:
        {resources}
        """;

    private static ParsedDocument Parse(string resources) =>
        Assert.Single(DocumentParser.ParseAll(Document(resources), "test.yaml", Engine));

    [Fact]
    public void Parse_Manifest_KeepsYamlTypesAndTemplates()
    {
        var document = Parse("""
              - id: web
                manifest:
                  apiVersion: apps/v1
                  kind: Deployment
                  metadata: { name: "web-${target.name}", namespace: shop, labels: { tier: "3" } }
                  spec:
                    replicas: 3
                    paused: false
                    ratio: 0.5
                    hex: 0x1F
                    nothing: ~
                    quoted: "true"
                    yes: yes
                    ports: [ { containerPort: 8080 } ]
                readyWhen: [ "${self.status.availableReplicas == self.spec.replicas}" ]
            """);

        Assert.True(document.IsValid, string.Join("\n", document.Errors));
        var resource = Assert.Single(document.Capability!.Resources);
        var manifest = resource.Manifest!.Object;
        Assert.Equal("apps/v1", manifest["apiVersion"]);
        var metadata = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(manifest["metadata"]);
        Assert.Equal("web-${target.name}", metadata["name"]);
        Assert.Equal("3", Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(metadata["labels"])["tier"]);
        var spec = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(manifest["spec"]);
        Assert.Equal(3L, spec["replicas"]);
        Assert.Equal(false, spec["paused"]);
        Assert.Equal(0.5, spec["ratio"]);
        Assert.Equal(31L, spec["hex"]);
        Assert.Null(spec["nothing"]);
        Assert.Equal("true", spec["quoted"]);
        Assert.Equal("yes", spec["yes"]);
        var port = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(Assert.Single(Assert.IsAssignableFrom<IReadOnlyList<object?>>(spec["ports"])));
        Assert.Equal(8080L, port["containerPort"]);
        Assert.Equal(["${self.status.availableReplicas == self.spec.replicas}"], resource.ReadyWhen);
        Assert.Null(resource.File);
        Assert.Null(resource.Exec);
    }

    [Fact]
    public void Parse_Exec_ReadsEveryField()
    {
        var document = Parse("""
              - id: notify
                exec:
                  command: ["/usr/local/bin/notify", "${target.name}"]
                  stdin: "hello ${target.name}"
                  env: { RING: canary, PORT: 8080 }
                  timeoutSeconds: 60
                  check: [test, -f, /tmp/done]
                  delete: [rm, -f, /tmp/done]
            """);

        Assert.True(document.IsValid, string.Join("\n", document.Errors));
        var exec = Assert.Single(document.Capability!.Resources).Exec!;
        Assert.Equal(["/usr/local/bin/notify", "${target.name}"], exec.Command);
        Assert.Equal("hello ${target.name}", exec.Stdin);
        Assert.Equal(new Dictionary<string, string> { ["PORT"] = "8080", ["RING"] = "canary" }, exec.Env);
        Assert.Equal(60, exec.TimeoutSeconds);
        Assert.Equal(["test", "-f", "/tmp/done"], exec.Check);
        Assert.Equal(["rm", "-f", "/tmp/done"], exec.Delete);
    }

    [Fact]
    public void Parse_MinimalExec_LeavesOptionalFieldsAbsent()
    {
        var exec = Assert.Single(Parse("      - { id: run, exec: { command: [true] } }").Capability!.Resources).Exec!;
        Assert.Equal(["true"], exec.Command);
        Assert.Null(exec.Stdin);
        Assert.Empty(exec.Env);
        Assert.Null(exec.TimeoutSeconds);
        Assert.Null(exec.Check);
        Assert.Null(exec.Delete);
    }

    public static TheoryData<string, string, string, string> Invalid => new()
    {
        // resource YAML, field, message fragment, the text the error points at (line 7 of the document)
        { "      - { id: w, manifest: { apiVersion: v1, metadata: { name: x } } }", "spec.resources[0].manifest.kind", "a manifest needs kind", "{ apiVersion" },
        { "      - { id: w, manifest: { apiVersion: v1, kind: ConfigMap } }", "spec.resources[0].manifest.metadata", "needs metadata.name", "{ apiVersion" },
        { "      - { id: w, manifest: { apiVersion: v1, kind: ConfigMap, metadata: { generateName: x- } } }", "spec.resources[0].manifest.metadata.name", "generateName is not supported", "{ generateName" },
        { "      - { id: w, manifest: { apiVersion: v1, kind: \"\", metadata: { name: x } } }", "spec.resources[0].manifest.kind", "kind must be a non-empty string", "\"\", metadata" },
        { "      - { id: w, manifest: { apiVersion: v1, kind: C, metadata: { name: \"${inputs.x}\" } } }", "spec.resources[0].manifest.metadata.name", "unknown variable 'inputs'", "${inputs" },
        { "      - { id: w, manifest: { apiVersion: v1, kind: C, metadata: { name: x }, data: { a: 99999999999999999999 } } }", "spec.resources[0].manifest.data.a", "does not fit in 64 bits", "9999" },
        { "      - { id: w, manifest: { apiVersion: v1, kind: C, metadata: { name: x }, data: { a: .nan } } }", "spec.resources[0].manifest.data.a", "not a number JSON can hold", ".nan" },
        { "      - { id: w, manifest: { apiVersion: v1, kind: C, metadata: { name: x }, data: { a: 1, a: 2 } } }", "spec.resources[0].manifest.data.a", "duplicate field 'a'", "a: 2" },
        { "      - { id: w, manifest: { apiVersion: v1, kind: C, metadata: { name: x }, \"${target.name}\": 1 } }", "spec.resources[0].manifest.${target.name}", "keys cannot hold", "\"${target.name}\"" },
        { "      - { id: w, manifest: [a] }", "spec.resources[0].manifest", "must be a mapping, not a list", "[a]" },
        { "      - { id: w, manifest: { apiVersion: v1, kind: C, metadata: { name: x } }, readyWhen: [\"self.ready\"] }", "spec.resources[0].readyWhen[0]", "exactly one ${...} expression", "\"self.ready" },
        { "      - { id: w, manifest: { apiVersion: v1, kind: C, metadata: { name: x } }, readyWhen: [\"${target.name == 'x'}\"] }", "spec.resources[0].readyWhen[0]", "unknown variable 'target'", "${target" },
        { "      - { id: w, manifest: { apiVersion: v1, kind: C, metadata: { name: x } }, readyWhen: \"${self.x}\" }", "spec.resources[0].readyWhen", "must be a list", "\"${self.x}\" }" },
        { "      - { id: w, exec: { command: [x] }, readyWhen: [\"${self.x}\"] }", "spec.resources[0].readyWhen", "applies to manifest resources only", "readyWhen" },
        { "      - { id: w, exec: { command: x } }", "spec.resources[0].exec.command", "must be a list, not a string", "x }" },
        { "      - { id: w, exec: { command: [\"\"] } }", "spec.resources[0].exec.command[0]", "program to run is empty", "\"\"]" },
        { "      - { id: w, exec: { command: [\"${nope}\"] } }", "spec.resources[0].exec.command[0]", "unknown variable 'nope'", "${nope" },
        { "      - { id: w, exec: { stdin: x } }", "spec.resources[0].exec.command", "command is required", "{ stdin" },
        { "      - { id: w, exec: { command: [x], timeoutSeconds: 0 } }", "spec.resources[0].exec.timeoutSeconds", "from 1 to 604800, not '0'", "0 }" },
        { "      - { id: w, exec: { command: [x], timeoutSeconds: 1.5 } }", "spec.resources[0].exec.timeoutSeconds", "not '1.5'", "1.5" },
        { "      - { id: w, exec: { command: [x], env: { 1BAD: x } } }", "spec.resources[0].exec.env.1BAD", "not an environment variable name", "1BAD" },
        { "      - { id: w, exec: { command: [x], env: { A: [x] } } }", "spec.resources[0].exec.env.A", "must be a string, not a list", "[x] }" },
        { "      - { id: w, exec: { command: [x], check: [] } }", "spec.resources[0].exec.check", "check needs at least the program", "[] }" },
        { "      - { id: w, exec: { command: [x], delete: [\"${capability.nope.x}\", \"${bad\"] } }", "spec.resources[0].exec.delete[1]", "unterminated", "${bad" },
        { "      - { id: w, exec: { command: [x], user: root } }", "spec.resources[0].exec.user", "unknown field 'user'", "user" },
        { "      - { id: w, exec: { command: [x] }, manifest: { kind: x } }", "spec.resources[0]", "not both 'manifest' and 'exec'", "exec:" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Parse_InvalidResource_ReportsFieldMessageAndPosition(string resource, string field, string message, string at)
    {
        var document = Parse(resource);
        Assert.False(document.IsValid);
        var error = document.Errors.FirstOrDefault(e => e.Field == field);
        Assert.True(error is not null, $"no error on {field}: {string.Join("; ", document.Errors)}");
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal((7, resource.IndexOf(at, StringComparison.Ordinal) + 1), (error.Line, error.Column));
    }

    [Fact]
    public void Parse_IncludeWhenOnExec_IsRead()
    {
        var document = Parse("      - { id: w, exec: { command: [x] }, includeWhen: [\"${target.driver == 'exec'}\"] }");
        Assert.True(document.IsValid, string.Join("; ", document.Errors));
        Assert.Equal(["${target.driver == 'exec'}"], document.Capability!.Resources[0].IncludeWhen);
    }
}
