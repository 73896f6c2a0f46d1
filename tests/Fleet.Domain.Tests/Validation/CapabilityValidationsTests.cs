using Fleet.Domain.Model;
using Fleet.Domain.Rendering;
using Fleet.Domain.Serialization;
using Fleet.Domain.Yaml;

namespace Fleet.Domain.Tests.Validation;

/// <summary><c>spec.validations</c> (SPEC §7): read with positions, stored canonically, checked at every render.</summary>
public sealed class CapabilityValidationsTests
{
    private static readonly CapabilityRenderer Renderer = new(TemplateEnvironment.Engine);

    private const string Resources = """
          resources:
            - id: conf
              file: { path: etc/app.conf, content: "port=${target.labels.port}", mode: "0644" }
            - id: web
              manifest: { apiVersion: apps/v1, kind: Deployment, metadata: { name: web }, spec: { template: { spec: { hostNetwork: true, containers: [{ name: w, image: "docker.io/web:1" }] } } } }
            - id: run
              exec: { command: [sh, -c, "echo ${target.name}"], env: { MODE: fast } }
        """;

    private static string Document(string validations, string inputs = "") =>
        "apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: app }\nspec:\n" + inputs + Resources + "\n  validations:\n" + validations;

    private static CapabilitySpec Read(string validations, string inputs = "")
    {
        var document = Assert.Single(DocumentParser.ParseAll(Document(validations, inputs), "app.yaml", TemplateEnvironment.Engine));
        Assert.True(document.IsValid, string.Join("\n", document.Errors));
        return document.Capability!;
    }

    private static TargetInfo Target(string driver, string port = "80") =>
        new("t1", new Dictionary<string, string> { ["port"] = port }, new Dictionary<string, string>(), driver);

    public static TheoryData<string, string, int, int, string> Errors => new()
    {
        // validations, field, line, column, message (start); the list starts on line 13
        { "    - resourceRule: ${true}\n", "spec.validations[0].message", 13, 7, "message is required" },
        { "    - { resourceRule: \"${true}\", rule: \"${true}\", message: m }\n", "spec.validations[0]", 13, 7, "a validation needs exactly one of rule or resourceRule, not both" },
        { "    - { message: m }\n", "spec.validations[0]", 13, 7, "a validation needs exactly one of rule (over inputs)" },
        { "    - { rule: \"${true}\", message: m }\n", "spec.validations[0].rule", 13, 9, "a rule reads inputs, but this capability declares none" },
        { "    - { resourceRule: \"${self.x} ok\", message: m }\n", "spec.validations[0].resourceRule", 13, 23, "a resourceRule must be exactly one ${...} expression" },
        { "    - { resourceRule: \"${target.name}\", message: m }\n", "spec.validations[0].resourceRule", 13, 24, "a resourceRule must give a bool, but '${target.name}' gives string" },
        { "    - { resourceRule: \"${nope.x}\", message: m }\n", "spec.validations[0].resourceRule", 13, 24, "unknown variable 'nope'" },
        { "    - { resourceRule: \"${true}\", message: \" \" }\n", "spec.validations[0].message", 13, 43, "message must not be empty" },
        { "    - { resourceRule: \"${true}\", message: m, severity: high }\n", "spec.validations[0].severity", 13, 46, "unknown field 'severity'" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Parse_BadValidation_IsReportedWhereItIs(string validations, string field, int line, int column, string message)
    {
        var document = Assert.Single(DocumentParser.ParseAll(Document(validations), "app.yaml", TemplateEnvironment.Engine));

        var error = Assert.Single(document.Errors);
        Assert.Equal((field, line, column), (error.Field, error.Line, error.Column));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Null(document.Capability);
    }

    [Fact]
    public void Parse_Validations_KeepTheirPositionAndRoundTripThroughCanonicalJson()
    {
        var spec = Read("    - resourceRule: ${resource.kind != 'manifest'}\n      message: no manifests\n");

        var rule = Assert.Single(spec.Validations);
        Assert.Equal(("app.yaml", 13, 21, "no manifests"), (rule.Source, rule.Line, rule.Column, rule.Message));
        var again = CapabilitySpecJson.Deserialize(CapabilitySpecJson.Serialize(spec));
        Assert.Equal(("${resource.kind != 'manifest'}", "no manifests"), (Assert.Single(again.Validations).ResourceRule, again.Validations[0].Message));
        Assert.Equal(CapabilitySpecJson.Serialize(spec), CapabilitySpecJson.Serialize(again));
    }

    [Fact]
    public void Serialize_WithoutValidations_WritesNoValidationsField()
    {
        var spec = CapabilitySpecJson.Deserialize(CapabilitySpecJson.Serialize(Read("    []\n")));

        Assert.DoesNotContain("validations", CapabilitySpecJson.Serialize(spec), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string, string[]> Renders => new()
    {
        // resourceRule, driver, target port, expected violations (Describe()) — empty: the render succeeds
        { "${resource.kind != 'manifest' || !has(self.spec.template.spec.hostNetwork) || !self.spec.template.spec.hostNetwork}", "kubernetes", "80", ["broken (resource 'web')"] },
        { "${resource.kind != 'manifest' || self.spec.template.spec.containers.all(c, c.image.startsWith('registry.corp/'))}", "kubernetes", "80", ["broken (resource 'web')"] },
        { "${resource.kind != 'file' || self.content != 'port=22'}", "files", "22", ["broken (resource 'conf')"] },
        { "${resource.kind != 'file' || self.content != 'port=22'}", "files", "80", [] },
        { "${resource.kind != 'file' || (self.mode == '0644' && self.path == 'etc/app.conf' && resource.id == 'conf')}", "files", "80", [] },
        { "${resource.kind != 'exec' || (self.command[0] == 'sh' && self.env.MODE == 'fast' && self.timeoutSeconds == 300)}", "exec", "80", [] },
        { "${resource.kind != 'exec' || self.command[2] != 'echo ' + target.name}", "exec", "80", ["broken (resource 'run')"] },
        { "${self.spec.replicas > 0}", "kubernetes", "80", ["broken (could not be evaluated: no such key: replicas (in '${self.spec.replicas > 0}')) (resource 'web')"] },
    };

    [Theory]
    [MemberData(nameof(Renders))]
    public void Render_ResourceRule_FailsTheRenderWithEveryViolation(string resourceRule, string driver, string port, string[] expected)
    {
        var compiled = Renderer.Compile(Read($"    - resourceRule: \"{resourceRule}\"\n      message: broken\n"), revision: 1);

        var rendered = compiled.Render(Target(driver, port));

        Assert.Equal(expected, rendered.Violations.Select(v => v.Describe()));
        Assert.Equal(expected.Length == 0 ? null : "validation failed: " + string.Join("; ", expected), rendered.Error);
        Assert.Equal(expected.Length == 0 ? 1 : 0, rendered.Resources.Count);
    }

    [Fact]
    public void Render_TwoRulesBroken_ListsBoth()
    {
        var compiled = Renderer.Compile(Read("    - { resourceRule: \"${resource.id != 'conf'}\", message: no conf }\n    - { resourceRule: \"${self.path != 'etc/app.conf'}\", message: no app.conf }\n"), revision: 1);

        var rendered = compiled.Render(Target("files"));

        Assert.Equal(["no conf (resource 'conf')", "no app.conf (resource 'conf')"], rendered.Violations.Select(v => v.Describe()));
    }

    public static TheoryData<long, string[]> InputRules => new()
    {
        { 3, [] },
        { 5, [] },
        { 6, ["replicas must be at most 5"] },
    };

    [Theory]
    [MemberData(nameof(InputRules))]
    public void InputViolations_RuleOverInputs_IsCheckedPerInstanceAndAtRender(long replicas, string[] expected)
    {
        var spec = Read("    - rule: ${inputs.replicas <= 5}\n      message: replicas must be at most 5\n", "  inputs:\n    replicas: integer\n");
        var instance = Renderer.Compile(spec, revision: 1).ForInstance("i1", new Dictionary<string, object?> { ["replicas"] = replicas });

        Assert.Equal(expected, instance.InputViolations().Select(v => v.Describe()));
        Assert.Equal(expected, instance.Render(Target("files")).Violations.Select(v => v.Describe()));
    }

    [Fact]
    public void InputViolations_CapabilityItself_HasNone()
    {
        var spec = Read("    - rule: ${inputs.replicas <= 5}\n      message: m\n", "  inputs:\n    replicas: integer\n");

        Assert.Empty(Renderer.Compile(spec, revision: 1).InputViolations());
    }
}
