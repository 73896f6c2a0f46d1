using Fleet.Domain.Model;
using Fleet.Domain.Rendering;
using Fleet.Domain.Serialization;
using Fleet.Domain.Yaml;

namespace Fleet.Domain.Tests.Rendering;

/// <summary><c>includeWhen</c> (SPEC §2): read with positions, stored canonically, rendered per target.</summary>
public sealed class IncludeWhenTests
{
    private static string Document(string includeWhen) =>
        "apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: x }\nspec:\n  resources:\n    - id: always\n      file: { path: a, content: a }\n"
        + "    - id: maybe\n      file: { path: b, content: b }\n      includeWhen: " + includeWhen + "\n";

    private static TargetInfo Target(params (string Key, string Value)[] labels) =>
        new("t1", labels.ToDictionary(l => l.Key, l => l.Value), new Dictionary<string, string>(), "files");

    private static CapabilitySpec Read(string includeWhen)
    {
        var document = Assert.Single(DocumentParser.ParseAll(Document(includeWhen), "x.yaml", TemplateEnvironment.Engine));
        Assert.True(document.IsValid, string.Join("\n", document.Errors));
        return document.Capability!;
    }

    public static TheoryData<string, string, int, int, string> Errors => new()
    {
        // includeWhen, field, line, column, message (start)
        { "[\"${target.name}\"]", "spec.resources[1].includeWhen[0]", 10, 22, "includeWhen must give a bool, but '${target.name}' gives string" },
        { "[\"ring=${target.labels.ring}\"]", "spec.resources[1].includeWhen[0]", 10, 21, "an includeWhen condition must be exactly one ${...}" },
        { "[\"${true}\", \"${self.ready}\"]", "spec.resources[1].includeWhen[1]", 10, 33, "unknown variable 'self'" },
        { "[\"${target.labels.ring ==}\"]", "spec.resources[1].includeWhen[0]", 10, 45, "expression error at position 21 of '${target.labels.ring ==}'" },
        { "\"${true}\"", "spec.resources[1].includeWhen", 10, 20, "must be a list" },
        { "[[\"${true}\"]]", "spec.resources[1].includeWhen[0]", 10, 21, "must be a string" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Parse_BadIncludeWhen_IsReportedWhereItIs(string includeWhen, string field, int line, int column, string message)
    {
        var document = Assert.Single(DocumentParser.ParseAll(Document(includeWhen), "x.yaml", TemplateEnvironment.Engine));

        var error = Assert.Single(document.Errors);
        Assert.Equal((field, line, column), (error.Field, error.Line, error.Column));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Null(document.Capability);
    }

    public static TheoryData<string, string[], string[]> Inclusion => new()
    {
        // includeWhen, target labels (k=v), resource ids the target receives
        { "[\"${target.labels.ring == 'canary'}\"]", ["ring=canary"], ["always", "maybe"] },
        { "[\"${target.labels.ring == 'canary'}\"]", ["ring=stable"], ["always"] },
        { "[\"${'ring' in target.labels}\", \"${capability.revision > 2}\"]", ["ring=x"], ["always", "maybe"] },
        { "[\"${'ring' in target.labels}\", \"${capability.revision > 3}\"]", ["ring=x"], ["always"] },
        { "[\"${has(target.labels.ring)}\"]", [], ["always"] },
        { "[]", [], ["always", "maybe"] },
        { "[\"${dyn(target.labels.on == 'yes')}\"]", ["on=yes"], ["always", "maybe"] },
    };

    [Theory]
    [MemberData(nameof(Inclusion))]
    public void Render_IncludeWhen_IncludesTheResourceOnlyWhenEveryConditionHolds(string includeWhen, string[] labels, string[] expected)
    {
        var compiled = new CapabilityRenderer(TemplateEnvironment.Engine).Compile(Read(includeWhen), revision: 3);

        var rendered = compiled.Render(Target([.. labels.Select(l => (l.Split('=')[0], l.Split('=')[1]))]));

        Assert.Null(rendered.Error);
        Assert.Equal(expected, rendered.Resources.Select(r => r.Id));
    }

    [Theory]
    [InlineData("[\"${dyn(target.labels.ring)}\"]", "resource 'maybe' includeWhen[0]: ${dyn(target.labels.ring)} must give a bool, not string 'canary'")]
    [InlineData("[\"${true}\", \"${target.labels.zone == 'eu'}\"]", "resource 'maybe' includeWhen[1]: no such key: zone")]
    public void Render_IncludeWhenNotABoolOrFailing_IsARenderErrorNamingTheResource(string includeWhen, string expected)
    {
        var compiled = new CapabilityRenderer(TemplateEnvironment.Engine).Compile(Read(includeWhen), revision: 1);

        var rendered = compiled.Render(Target(("ring", "canary")));

        Assert.StartsWith(expected, rendered.Error, StringComparison.Ordinal);
        Assert.Empty(rendered.Resources);
    }

    [Fact]
    public void Render_ExcludedResource_ChangesTheCapabilityHash()
    {
        var compiled = new CapabilityRenderer(TemplateEnvironment.Engine).Compile(Read("[\"${target.labels.ring == 'canary'}\"]"), revision: 1);

        Assert.NotEqual(compiled.Render(Target(("ring", "canary"))).Hash, compiled.Render(Target(("ring", "stable"))).Hash);
    }

    [Fact]
    public void CanonicalJson_IncludeWhen_IsWrittenOnlyWhenPresentAndRoundTrips()
    {
        var spec = Read("[\"${target.labels.ring == 'canary'}\", \"${true}\"]");
        var without = spec with { Resources = [.. spec.Resources.Select(r => r with { IncludeWhen = [] })] };

        var json = CapabilitySpecJson.Serialize(spec);
        var back = CapabilitySpecJson.Deserialize(json);

        Assert.Contains("""{"id":"maybe","file":{"path":"b","content":"b"},"includeWhen":["${target.labels.ring == 'canary'}","${true}"]}""", json, StringComparison.Ordinal);
        Assert.Equal(spec.Resources, back.Resources);
        Assert.Equal(json, CapabilitySpecJson.Serialize(back));
        Assert.DoesNotContain("includeWhen", CapabilitySpecJson.Serialize(without), StringComparison.Ordinal);
        Assert.NotEqual(spec, without);
    }

    [Fact]
    public void DescribeYaml_IncludeWhen_IsShownAndReadsBackAsTheSameSpec()
    {
        var spec = Read("[\"${target.labels.ring == 'canary'}\"]");

        var yaml = CapabilitySpecYaml.Serialize(spec);

        Assert.Contains("includeWhen:", yaml, StringComparison.Ordinal);
        Assert.Contains("${target.labels.ring == 'canary'}", yaml, StringComparison.Ordinal);
    }
}
