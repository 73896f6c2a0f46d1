using Fleet.Domain.Rendering;
using Fleet.Domain.Yaml;

namespace Fleet.Domain.Tests.Rendering;

/// <summary>
/// <c>resources.&lt;id&gt;</c> (SPEC §3): checked at apply (known ids, same kind, no cycle, every problem at its position),
/// dependencies first in the apply order, and refused at render time on the hub, which has no observed state.
/// </summary>
public sealed class ResourceReferenceTests
{
    /// <summary>Resources "id: content" as file resources, one per line, from line 6 on.</summary>
    private static string Document(params string[] resources) =>
        "apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: x }\nspec:\n  resources:\n"
        + string.Concat(resources.Select(r => r.Split(": ", 2) is var p ? $"    - {{ id: {p[0]}, file: {{ path: {p[0]}, content: \"{p[1]}\" }} }}\n" : ""));

    private static ParsedDocument Parse(params string[] resources) =>
        Assert.Single(DocumentParser.ParseAll(Document(resources), "refs.yaml", TemplateEnvironment.Engine));

    public static TheoryData<string[], string[]> Problems => new()
    {
        // resources ("id: content"), expected errors ("line:column field: message start"), all of them
        {
            ["a: ${resources.ghost.status}"],
            ["6:43 spec.resources[0].file.content: unknown resource 'ghost' in '${resources.ghost.status}' (resources of this capability: a)"]
        },
        {
            ["a: x${resources.a.status}"],
            ["6:44 spec.resources[0].file.content: resource 'a' reads resources.a: a resource cannot wait for itself"]
        },
        {
            ["a: ${resources.b.x}", "b: ${resources.a.x}"],
            ["6:43 spec.resources[0].file.content: resources form a cycle: a -> b -> a"]
        },
        {
            ["a: ${resources.b.x}", "b: ${resources.c.x}", "c: ok ${resources.a.x}", "d: ${resources.a.x}"],
            ["6:43 spec.resources[0].file.content: resources form a cycle: a -> b -> c -> a"]
        },
        {
            ["a: ${resources['b'].x}", "b: ${resources[target.name].x}"],
            ["7:43 spec.resources[1].file.content: '${resources[target.name].x}' must name the resource it reads"]
        },
        {
            // Every problem, not only the first: an unknown id and, elsewhere, a cycle.
            ["a: ${resources.nope}", "b: ${resources.c.x}", "c: ${resources.b.x}"],
            [
                "6:43 spec.resources[0].file.content: unknown resource 'nope'",
                "7:43 spec.resources[1].file.content: resources form a cycle: b -> c -> b",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void Parse_BadReferences_ReportsEveryProblemWhereItIsAndStoresNothing(string[] resources, string[] expected)
    {
        var document = Parse(resources);

        var errors = document.Errors.Select(e => $"{e.Line}:{e.Column} {e.Field}: {e.Message}").ToList();
        Assert.Equal(expected.Length, errors.Count);
        foreach (var (want, got) in expected.Zip(errors))
        {
            Assert.StartsWith(want, got, StringComparison.Ordinal);
        }

        Assert.Null(document.Capability);
    }

    [Fact]
    public void Parse_ReferenceToAnotherKind_IsRefusedBecauseNoTargetHasBoth()
    {
        var yaml = "apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: x }\nspec:\n  resources:\n"
            + "    - { id: cm, manifest: { apiVersion: v1, kind: ConfigMap, metadata: { name: cm } } }\n"
            + "    - { id: f, file: { path: f, content: \"${resources.cm.data}\" } }\n";

        var error = Assert.Single(Assert.Single(DocumentParser.ParseAll(yaml, "refs.yaml", TemplateEnvironment.Engine)).Errors);

        Assert.Equal((7, 43), (error.Line, error.Column));
        Assert.StartsWith("resource 'f' (file) reads resources.cm, a manifest resource", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ResourcesInIncludeWhen_IsAnUnknownVariable()
    {
        var yaml = "apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: x }\nspec:\n  resources:\n"
            + "    - { id: a, file: { path: a, content: a } }\n"
            + "    - { id: b, file: { path: b, content: b }, includeWhen: [\"${resources.a.ready}\"] }\n";

        var error = Assert.Single(Assert.Single(DocumentParser.ParseAll(yaml, "refs.yaml", TemplateEnvironment.Engine)).Errors);

        Assert.StartsWith("unknown variable 'resources'", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string[], string[]> Orders => new()
    {
        // resources ("id: content"), apply order
        { ["a: 1", "b: 2", "c: 3"], ["a", "b", "c"] },
        { ["web: ${resources.db.host}", "db: x"], ["db", "web"] },
        { ["a: ${resources.c.x}", "b: 2", "c: 3"], ["b", "c", "a"] },
        { ["app: ${resources.db.x}${resources.cache.x}", "cache: ${resources.net.x}", "db: ${resources.net.x}", "net: n"], ["net", "cache", "db", "app"] },
        { ["z: ${has(resources.y.x)}", "y: ${resources.x.x}", "x: 1"], ["x", "y", "z"] },
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public void Compile_References_OrderDependenciesFirstAndKeepTheWrittenOrderOtherwise(string[] resources, string[] expected)
    {
        var document = Parse(resources);
        Assert.True(document.IsValid, string.Join("\n", document.Errors));

        var compiled = new CapabilityRenderer(TemplateEnvironment.Engine).Compile(document.Capability!, revision: 1);

        Assert.Equal(expected, compiled.ApplyOrder);
    }

    [Fact]
    public void Render_ResourceReadingAnother_IsARenderErrorNotAGuessedValue()
    {
        var compiled = new CapabilityRenderer(TemplateEnvironment.Engine).Compile(Parse("web: ${resources.db.status.host}", "db: x").Capability!, revision: 1);

        var rendered = compiled.Render(new TargetInfo("t1", new Dictionary<string, string>(), new Dictionary<string, string>(), "files"));

        Assert.Equal("resource 'web' reads resources.db: that needs the observed state of those resources on the target, which agents do not report yet, so it cannot be rendered", rendered.Error);
        Assert.Empty(rendered.Resources);
    }

    [Fact]
    public void Render_ReadingResourceExcludedByIncludeWhen_RendersTheRest()
    {
        var yaml = "apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: x }\nspec:\n  resources:\n"
            + "    - { id: db, file: { path: db, content: db } }\n"
            + "    - { id: web, file: { path: web, content: \"${resources.db.x}\" }, includeWhen: [\"${target.labels.web == 'yes'}\"] }\n";
        var document = Assert.Single(DocumentParser.ParseAll(yaml, "refs.yaml", TemplateEnvironment.Engine));
        var compiled = new CapabilityRenderer(TemplateEnvironment.Engine).Compile(document.Capability!, revision: 1);

        var rendered = compiled.Render(new TargetInfo("t1", new Dictionary<string, string> { ["web"] = "no" }, new Dictionary<string, string>(), "files"));

        Assert.Null(rendered.Error);
        Assert.Equal(["db"], rendered.Resources.Select(r => r.Id));
    }

    public static TheoryData<int[][], int[][]> Graphs => new()
    {
        // dependencies per index, cycles
        { [[], [], []], [] },
        { [[1], [0]], [[0, 1, 0]] },
        { [[0]], [[0, 0]] },
        { [[1], [2], [0], [0]], [[0, 1, 2, 0]] },
        { [[1], [0], [3], [2]], [[0, 1, 0], [2, 3, 2]] },
        { [[1, 2], [2], [0]], [[0, 2, 0]] },
    };

    [Theory]
    [MemberData(nameof(Graphs))]
    public void Cycles_Graph_GivesOneShortestCyclePerGroup(int[][] dependencies, int[][] expected)
    {
        var cycles = ResourceGraph.Cycles([.. dependencies.Select(d => (IReadOnlyCollection<int>)d)]);

        Assert.Equal(expected.Select(c => string.Join(",", c)), cycles.Select(c => string.Join(",", c)));
    }
}
