using Fleet.Domain.Diagnostics;
using Fleet.Domain.Expressions;
using Fleet.Domain.Model;
using Fleet.Domain.Rendering;
using Fleet.Domain.Yaml;

namespace Fleet.Domain.Tests.Yaml;

public sealed class DocumentParserTests
{
    private static readonly IExpressionEngine Engine = TemplateEnvironment.Engine;

    private const string Valid = """
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata:
          name: motd
        spec:
          version: "1.1.0"
          placement:
            selector:
              matchLabels: { env: dev }
              matchExpressions: [ { key: region, operator: In, values: [eu, us] } ]
            when: ${target.labels.tier != "legacy"}
          resources:
            - id: motd
              file: { path: etc/motd, mode: "0644", content: "Hello from ${target.name}\n" }
          rollout:
            trigger: auto
            maxUnavailable: 25%
            progressDeadlineSeconds: 600
        """;

    private static ParsedDocument ParseSingle(string yaml)
    {
        var documents = DocumentParser.ParseAll(yaml, "test.yaml", Engine);
        return Assert.Single(documents);
    }

    private static IReadOnlyList<Diagnostic> Errors(string yaml) => ParseSingle(yaml).Errors;

    /// <summary>The valid document with one line replaced (matched by its trimmed text).</summary>
    private static string With(string line, string replacement)
    {
        var lines = Valid.Split('\n').ToList();
        var index = lines.FindIndex(l => l.Trim() == line);
        Assert.True(index >= 0, $"no line '{line}'");
        var indent = lines[index][..(lines[index].Length - lines[index].TrimStart().Length)];
        lines[index] = string.Join('\n', replacement.Split('\n').Select(r => indent + r));
        return string.Join('\n', lines);
    }

    [Fact]
    public void ParseAll_SpecExample_BuildsTheModel()
    {
        var document = ParseSingle(Valid);
        Assert.True(document.IsValid, string.Join("\n", document.Errors));
        Assert.Equal("Capability", document.Kind);
        Assert.Equal("motd", document.Name);
        Assert.Equal(1, document.Line);
        var spec = document.Capability!;
        Assert.Equal("motd", spec.Name);
        Assert.Equal("1.1.0", spec.Version);
        Assert.Equal("dev", spec.Placement.Selector.MatchLabels["env"]);
        var requirement = Assert.Single(spec.Placement.Selector.MatchExpressions);
        Assert.Equal(("region", SelectorOperator.In), (requirement.Key, requirement.Operator));
        Assert.Equal(["eu", "us"], requirement.Values);
        Assert.Equal("${target.labels.tier != \"legacy\"}", spec.Placement.When);
        var resource = Assert.Single(spec.Resources);
        Assert.Equal("motd", resource.Id);
        Assert.Equal(new FileSpec { Path = "etc/motd", Mode = "0644", Content = "Hello from ${target.name}\n" }, resource.File);
        Assert.Equal(RolloutTrigger.Auto, spec.Rollout.Trigger);
        Assert.Equal(new IntOrPercent(25, true), spec.Rollout.MaxUnavailable);
        Assert.Equal(600, spec.Rollout.ProgressDeadlineSeconds);
    }

    [Fact]
    public void ParseAll_AcceptanceBadDocument_ReportsNamePathAndExpression()
    {
        const string bad = """
            apiVersion: fleet/v1alpha1
            kind: Capability
            metadata:
              name: Bad_Name
            spec:
              resources:
                - id: broken
                  file:
                    path: ../../etc/passwd
                    content: "${target.name +}"
            """;
        var document = ParseSingle(bad);
        Assert.False(document.IsValid);
        Assert.Null(document.Capability);
        Assert.Equal(3, document.Errors.Count);
        Assert.Collection(
            document.Errors,
            e => Assert.Equal(("metadata.name", 4, 9), (e.Field, e.Line, e.Column)),
            e => Assert.Equal(("spec.resources[0].file.path", 9, 15), (e.Field, e.Line, e.Column)),
            // A missing operand is reported where the expression ends: the '}' at column 34.
            e => Assert.Equal(("spec.resources[0].file.content", 10, 34), (e.Field, e.Line, e.Column)));
        Assert.Contains("'Bad_Name'", document.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("'..'", document.Errors[1].Message, StringComparison.Ordinal);
        Assert.Equal("expression error at position 13 of '${target.name +}': unexpected end of expression (expected an operand)", document.Errors[2].Message);
        Assert.StartsWith("test.yaml:4:9: metadata.name: ", document.Errors[0].ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string, string> Invalid => new()
    {
        // line to replace, replacement, expected field, expected message fragment
        { "apiVersion: fleet/v1alpha1", "apiVersion: v1", "apiVersion", "must be 'fleet/v1alpha1', not 'v1'" },
        { "apiVersion: fleet/v1alpha1", "", "apiVersion", "apiVersion is required" },
        { "kind: Capability", "kind: Deployment", "kind", "unknown kind 'Deployment' (supported kinds: Capability, Instance)" },
        { "kind: Capability", "", "kind", "kind is required" },
        { "name: motd", "name: -motd", "metadata.name", "not a valid name" },
        { "name: motd", "name: " + new string('a', 64), "metadata.name", "at most 63 characters" },
        { "name: motd", "name: ", "metadata.name", "name is required" },
        { "name: motd", "name: [a]", "metadata.name", "must be a string, not a list" },
        { "name: motd", "name: motd\nlabels: {}", "metadata.labels", "unknown field 'labels'" },
        { "version: \"1.1.0\"", "version: { major: 1 }", "spec.version", "must be a string, not a mapping" },
        { "placement:", "placment:", "spec.placment", "unknown field 'placment' (did you mean 'placement'?)" },
        { "matchLabels: { env: dev }", "matchLabels: { \"bad key\": dev }", "spec.placement.selector.matchLabels.bad key", "not a valid label key" },
        { "matchLabels: { env: dev }", "matchLabels: { env: \"a b\" }", "spec.placement.selector.matchLabels.env", "not a valid label value" },
        { "matchLabels: { env: dev }", "matchLabels: { \"-x.io/env\": dev }", "spec.placement.selector.matchLabels.-x.io/env", "not a valid label key" },
        { "matchLabels: { env: dev }", "matchLabels: [env]", "spec.placement.selector.matchLabels", "must be a mapping, not a list" },
        { "matchLabels: { env: dev }", "matchLabel: { env: dev }", "spec.placement.selector.matchLabel", "unknown field 'matchLabel' (did you mean 'matchLabels'?)" },
        { "matchExpressions: [ { key: region, operator: In, values: [eu, us] } ]", "matchExpressions: [ { key: region, operator: Within, values: [eu] } ]", "spec.placement.selector.matchExpressions[0].operator", "unknown operator 'Within'" },
        { "matchExpressions: [ { key: region, operator: In, values: [eu, us] } ]", "matchExpressions: [ { key: region, operator: In } ]", "spec.placement.selector.matchExpressions[0].values", "operator In needs at least one value" },
        { "matchExpressions: [ { key: region, operator: In, values: [eu, us] } ]", "matchExpressions: [ { key: region, operator: NotIn, values: [] } ]", "spec.placement.selector.matchExpressions[0].values", "operator NotIn needs at least one value" },
        { "matchExpressions: [ { key: region, operator: In, values: [eu, us] } ]", "matchExpressions: [ { key: region, operator: Exists, values: [eu] } ]", "spec.placement.selector.matchExpressions[0].values", "operator Exists takes no values" },
        { "matchExpressions: [ { key: region, operator: In, values: [eu, us] } ]", "matchExpressions: [ { key: region, operator: DoesNotExist, values: [eu] } ]", "spec.placement.selector.matchExpressions[0].values", "operator DoesNotExist takes no values" },
        { "matchExpressions: [ { key: region, operator: In, values: [eu, us] } ]", "matchExpressions: [ { key: \"a/b/c\", operator: Exists } ]", "spec.placement.selector.matchExpressions[0].key", "not a valid label key" },
        { "matchExpressions: [ { key: region, operator: In, values: [eu, us] } ]", "matchExpressions: [ { operator: Exists } ]", "spec.placement.selector.matchExpressions[0].key", "key is required" },
        { "matchExpressions: [ { key: region, operator: In, values: [eu, us] } ]", "matchExpressions: [ { key: region } ]", "spec.placement.selector.matchExpressions[0].operator", "operator is required" },
        { "matchExpressions: [ { key: region, operator: In, values: [eu, us] } ]", "matchExpressions: [ { key: region, operator: In, values: [\"a b\"] } ]", "spec.placement.selector.matchExpressions[0].values[0]", "not a valid label value" },
        { "matchExpressions: [ { key: region, operator: In, values: [eu, us] } ]", "matchExpressions: [ { key: region, operator: Exists, value: [eu] } ]", "spec.placement.selector.matchExpressions[0].value", "unknown field 'value' (did you mean 'values'?)" },
        { "matchExpressions: [ { key: region, operator: In, values: [eu, us] } ]", "matchExpressions: [ region ]", "spec.placement.selector.matchExpressions[0]", "must be a mapping, not a string" },
        { "when: ${target.labels.tier != \"legacy\"}", "when: tier is ${target.labels.tier}", "spec.placement.when", "must be exactly one ${...}" },
        { "when: ${target.labels.tier != \"legacy\"}", "when: ${capability.name == 'x'}", "spec.placement.when", "unknown variable 'capability'" },
        { "when: ${target.labels.tier != \"legacy\"}", "when: ${target.labels.tier !! 'x'}", "spec.placement.when", "expression error at position 19" },
        { "when: ${target.labels.tier != \"legacy\"}", "when: ${target.name", "spec.placement.when", "unterminated '${'" },
        { "- id: motd", "- id: Motd", "spec.resources[0].id", "not a valid resource id" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "file: { path: a }\nident: x", "spec.resources[0].ident", "unknown field 'ident'" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "manifest: { kind: Deployment, metadata: { name: web } }", "spec.resources[0].manifest.apiVersion", "a manifest needs apiVersion" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "exec: { command: [] }", "spec.resources[0].exec.command", "command needs at least the program to run" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "", "spec.resources[0]", "exactly one of file, manifest or exec" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "file: { path: a }\nincludeWhen: [\"${target.name}\"]", "spec.resources[0].includeWhen[0]", "includeWhen must give a bool" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "file: etc/motd", "spec.resources[0].file", "must be a mapping, not a string" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "file: { content: x }", "spec.resources[0].file.path", "path is required" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "file: { path: /etc/motd }", "spec.resources[0].file.path", "must be relative" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "file: { path: ~/motd }", "spec.resources[0].file.path", "must not start with '~'" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "file: { path: etc/../../motd }", "spec.resources[0].file.path", "'..'" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "file: { path: etc//motd }", "spec.resources[0].file.path", "empty segment" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "file: { path: etc/motd/ }", "spec.resources[0].file.path", "empty segment" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "file: { path: ./etc/motd }", "spec.resources[0].file.path", "'.' segment" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "file: { path: \"etc\\\\motd\" }", "spec.resources[0].file.path", "'/' as its separator" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "file: { path: \"etc/\\0motd\" }", "spec.resources[0].file.path", "NUL" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "file: { path: \"etc/${target.name}/../../x\" }", "spec.resources[0].file.path", "'..'" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "file: { path: \"etc/${inputs.x}\" }", "spec.resources[0].file.path", "unknown variable 'inputs'" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "file: { path: " + new string('a', 4097) + " }", "spec.resources[0].file.path", "longer than 4096" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "file: { path: a, content: [x] }", "spec.resources[0].file.content", "must be a string, not a list" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "file: { path: a, content: \"${foo.bar}\" }", "spec.resources[0].file.content", "unknown variable 'foo'" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "file: { path: a, mode: \"0888\" }", "spec.resources[0].file.mode", "'0888' is not a file mode" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "file: { path: a, mode: 10644 }", "spec.resources[0].file.mode", "'10644' is not a file mode" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "file: { path: a, mode: rw }", "spec.resources[0].file.mode", "'rw' is not a file mode" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "file: { path: a, owner: root }", "spec.resources[0].file.owner", "unknown field 'owner'" },
        { "trigger: auto", "trigger: sometimes", "spec.rollout.trigger", "must be 'auto' or 'manual', not 'sometimes'" },
        { "maxUnavailable: 25%", "maxUnavailable: 0", "spec.rollout.maxUnavailable", "at least 1" },
        { "maxUnavailable: 25%", "maxUnavailable: 0%", "spec.rollout.maxUnavailable", "not '0%'" },
        { "maxUnavailable: 25%", "maxUnavailable: 101%", "spec.rollout.maxUnavailable", "not '101%'" },
        { "maxUnavailable: 25%", "maxUnavailable: -1", "spec.rollout.maxUnavailable", "not '-1'" },
        { "maxUnavailable: 25%", "maxUnavailable: many", "spec.rollout.maxUnavailable", "not 'many'" },
        { "progressDeadlineSeconds: 600", "progressDeadlineSeconds: 0", "spec.rollout.progressDeadlineSeconds", "from 1 to 86400, not '0'" },
        { "progressDeadlineSeconds: 600", "progressDeadlineSeconds: 86401", "spec.rollout.progressDeadlineSeconds", "not '86401'" },
        { "progressDeadlineSeconds: 600", "progressDeadlineSeconds: 1.5", "spec.rollout.progressDeadlineSeconds", "not '1.5'" },
        { "progressDeadlineSeconds: 600", "soakSeconds: -1", "spec.rollout.soakSeconds", "from 0 to 604800, not '-1'" },
        { "progressDeadlineSeconds: 600", "progressDeadline: 60", "spec.rollout.progressDeadline", "unknown field 'progressDeadline'" },
        { "file: { path: etc/motd, mode: \"0644\", content: \"Hello from ${target.name}\\n\" }", "file: { path: a }\nreadyWhen: []", "spec.resources[0].readyWhen", "readyWhen applies to manifest resources only" },
        { "version: \"1.1.0\"", "inputs: { greeting: strin }", "spec.inputs.greeting", "unknown type 'strin' (did you mean 'string'?)" },
        { "version: \"1.1.0\"", "version: 1\nversion: 2", "spec.version", "duplicate field 'version'" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void ParseAll_InvalidField_ReportsFieldAndMessage(string line, string replacement, string field, string message)
    {
        var document = ParseSingle(With(line, replacement));
        Assert.False(document.IsValid);
        Assert.Null(document.Capability);
        var error = Assert.Single(document.Errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal("test.yaml", error.Source);
        Assert.InRange(error.Line, 1, 19);
        Assert.True(error.Column >= 1);
    }

    [Fact]
    public void ParseAll_ManyProblems_ReportsEveryOneInDocumentOrder()
    {
        const string yaml = """
            apiVersion: fleet/v2
            kind: Capability
            metadata: { name: UPPER }
            spec:
              placment: {}
              resources:
                - id: a
                  file: { path: /abs }
                - id: a
                  file: { path: ok, mode: "999" }
              rollout: { trigger: never }
            """;
        var errors = Errors(yaml);
        Assert.Equal(
            ["apiVersion", "metadata.name", "spec.placment", "spec.resources[0].file.path", "spec.resources[1].id", "spec.resources[1].file.mode", "spec.rollout.trigger"],
            errors.Select(e => e.Field));
        Assert.Equal([1, 3, 5, 8, 9, 10, 11], errors.Select(e => e.Line));
        Assert.Contains("first used on line 7", errors[4].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("spec:\n  resources: []", "spec.resources", "at least one resource")]
    [InlineData("spec:\n  version: x", "spec.resources", "resources is required")]
    [InlineData("spec:\n  resources:", "spec.resources", "resources is required")]
    [InlineData("spec:\n  resources: { id: a }", "spec.resources", "must be a list, not a mapping")]
    [InlineData("spec: []", "spec", "must be a mapping, not a list")]
    [InlineData("specs: {}", "specs", "unknown field 'specs' (did you mean 'spec'?)")]
    public void ParseAll_BadSpecShape_Reports(string specYaml, string field, string message)
    {
        var yaml = "apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: x }\n" + specYaml + "\n";
        var errors = Errors(yaml);
        Assert.Contains(errors, e => e.Field == field && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("kind: Capability\nmetadata: { name: x }\nspec: {}", "apiVersion")]
    [InlineData("apiVersion: fleet/v1alpha1\nkind: Capability\nspec:\n  resources: [ { id: a, file: { path: a } } ]", "metadata")]
    [InlineData("apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: x }", "spec")]
    public void ParseAll_MissingSection_IsRequired(string yaml, string field)
    {
        Assert.Contains(Errors(yaml), e => e.Field == field && e.Message == $"{field} is required");
    }

    [Fact]
    public void ParseAll_TooManyResources_Reports()
    {
        var resources = string.Concat(Enumerable.Range(0, 501).Select(i => $"    - {{ id: r{i}, file: {{ path: f{i} }} }}\n"));
        var yaml = "apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: x }\nspec:\n  resources:\n" + resources;
        var error = Assert.Single(Errors(yaml));
        Assert.Equal("spec.resources", error.Field);
        Assert.Contains("at most 500 resources, this one has 501", error.Message, StringComparison.Ordinal);
        var ok = "apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: x }\nspec:\n  resources:\n" + string.Concat(resources.Split('\n').Take(500).Select(l => l + "\n"));
        Assert.True(ParseSingle(ok).IsValid);
    }

    [Fact]
    public void ParseAll_ContentOverOneMiB_Reports()
    {
        string Doc(int size) => "apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: x }\nspec:\n  resources:\n    - id: a\n      file:\n        path: a\n        content: " + new string('x', size) + "\n";
        Assert.True(ParseSingle(Doc(1024 * 1024)).IsValid);
        var error = Assert.Single(Errors(Doc(1024 * 1024 + 1)));
        Assert.Equal("spec.resources[0].file.content", error.Field);
        Assert.Contains("larger than 1024 KiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseAll_DocumentOverTwoMiB_IsRejectedWithOneError()
    {
        var yaml = "apiVersion: fleet/v1alpha1\n# " + new string('x', DocumentParser.MaxDocumentBytes) + "\n";
        var document = ParseSingle(yaml);
        var error = Assert.Single(document.Errors);
        Assert.Contains("larger than 2 MiB", error.Message, StringComparison.Ordinal);
        Assert.Equal((1, 1), (error.Line, error.Column));
    }

    [Theory]
    [InlineData("mode: 644", "644")]
    [InlineData("mode: 0644", "0644")]
    [InlineData("mode: \"755\"", "755")]
    [InlineData("mode: ~", null)]
    [InlineData("mode:", null)]
    public void ParseAll_ModeAsNumber_KeepsItsText(string modeLine, string? expected)
    {
        var yaml = "apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: x }\nspec:\n  resources:\n    - id: a\n      file:\n        path: a\n        " + modeLine + "\n";
        var document = ParseSingle(yaml);
        Assert.True(document.IsValid, string.Join("\n", document.Errors));
        Assert.Equal(expected, document.Capability!.Resources[0].File!.Mode);
    }

    [Theory]
    [InlineData("version: 1.10", "1.10")]
    [InlineData("version: 2", "2")]
    [InlineData("version: true", "true")]
    [InlineData("version: \"\"", "")]
    public void ParseAll_VersionScalar_IsItsText(string versionLine, string expected)
    {
        var document = ParseSingle(With("version: \"1.1.0\"", versionLine));
        Assert.True(document.IsValid, string.Join("\n", document.Errors));
        Assert.Equal(expected, document.Capability!.Version);
    }

    [Fact]
    public void ParseAll_DefaultsWhenOptionalPartsAreAbsent()
    {
        var document = ParseSingle("apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: x }\nspec:\n  resources: [ { id: a, file: { path: a } } ]\n");
        Assert.True(document.IsValid, string.Join("\n", document.Errors));
        var spec = document.Capability!;
        Assert.Equal("", spec.Version);
        Assert.True(spec.Placement.Selector.IsEmpty);
        Assert.Null(spec.Placement.When);
        Assert.Equal("", spec.Resources[0].File!.Content);
        Assert.Null(spec.Resources[0].File!.Mode);
        Assert.Equal(new RolloutStrategySpec(), spec.Rollout);
    }

    [Fact]
    public void ParseAll_AnchorsAndAliases_AreResolved()
    {
        const string yaml = """
            apiVersion: fleet/v1alpha1
            kind: Capability
            metadata: { name: x }
            spec:
              resources:
                - id: a
                  file: &f { path: same, content: shared }
                - id: b
                  file: *f
            """;
        var document = ParseSingle(yaml);
        Assert.True(document.IsValid, string.Join("\n", document.Errors));
        Assert.Equal(document.Capability!.Resources[0].File, document.Capability.Resources[1].File);
    }

    [Fact]
    public void ParseAll_AliasBomb_IsRejected()
    {
        var lines = new List<string> { "a0: &a0 [" + string.Join(",", Enumerable.Repeat("\"" + new string('x', 100) + "\"", 10)) + "]" };
        for (var i = 1; i < 10; i++)
        {
            lines.Add($"a{i}: &a{i} [" + string.Join(",", Enumerable.Repeat($"*a{i - 1}", 10)) + "]");
        }

        var error = Assert.Single(Errors(string.Join("\n", lines)));
        Assert.Contains("once its aliases are expanded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseAll_DeepNesting_IsRejected()
    {
        var error = Assert.Single(Errors(new string('[', 10_000) + new string(']', 10_000)));
        Assert.Contains("nested more than 64 levels", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("- a\n- b", "not a list")]
    [InlineData("just text", "not a string")]
    public void ParseAll_RootNotAMapping_Reports(string yaml, string message)
    {
        var error = Assert.Single(Errors(yaml));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseAll_NonStringKey_Reports()
    {
        Assert.Contains(Errors(With("name: motd", "name: motd\n? [a]\n: b")), e => e.Message.Contains("keys must be strings", StringComparison.Ordinal));
    }

    [Fact]
    public void ParseAll_UnknownKind_DoesNotCheckItsSpec()
    {
        var document = ParseSingle("apiVersion: fleet/v1alpha1\nkind: Widget\nmetadata: { name: team-a }\nspec: { capability: motd, inputs: { greeting: hi } }\n");
        var error = Assert.Single(document.Errors);
        Assert.Equal("kind", error.Field);
        Assert.Equal(("Widget", "team-a"), (document.Kind, document.Name));
        Assert.Null(document.Instance);
    }
}
