using Fleet.Domain.Rendering;
using Fleet.Domain.Yaml;

namespace Fleet.Domain.Tests.Rendering;

/// <summary>
/// <c>resources.&lt;id&gt;</c> (SPEC §3): checked at apply (known ids, same kind, no cycle, every problem at its position),
/// dependencies first in the apply order, and rendered from the observed state the target reported: awaiting it until
/// each dependency is Ready at the hash rendered now.
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

    public static TheoryData<string, string> ObservedFieldProblems => new()
    {
        // the reader's content (db is a file), the error's start
        { "${resources.db.nosuch}", "6:" },
        { "${resources.db.size + 'x'}", "6:" },
        { "${resources.db.path + 1}", "6:" },
    };

    [Theory]
    [MemberData(nameof(ObservedFieldProblems))]
    public void Parse_ReadingWhatAFileDoesNotReport_IsRefusedAtApplyWithItsPosition(string content, string position)
    {
        var document = Parse($"web: {content}", "db: x");

        var error = Assert.Single(document.Errors);
        Assert.StartsWith(position, $"{error.Line}:{error.Column}", StringComparison.Ordinal);
        Assert.Equal("spec.resources[0].file.content", error.Field);
        Assert.Contains(content, error.Message, StringComparison.Ordinal);
        Assert.Null(document.Capability);
    }

    [Theory]
    [InlineData("${resources.db.path}:${resources.db.mode}:${string(resources.db.size + 1)}:${resources.db.sha256}")]
    [InlineData("${has(resources.db.sha256) ? 'yes' : 'no'}")]
    public void Parse_ReadingWhatAFileReports_IsAccepted(string content)
    {
        var document = Parse($"web: {content}", "db: x");

        Assert.True(document.IsValid, string.Join("\n", document.Errors));
    }

    [Fact]
    public void Parse_ReadingWhatAnExecReports_IsCheckedAgainstItsShape()
    {
        static string Exec(string stdin) =>
            "apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: x }\nspec:\n  resources:\n"
            + "    - { id: job, exec: { command: [/bin/true] } }\n"
            + $"    - {{ id: next, exec: {{ command: [/bin/cat], stdin: \"{stdin}\" }} }}\n";

        var good = Assert.Single(DocumentParser.ParseAll(Exec("${resources.job.stdoutTail} ${string(resources.job.exitCode)} ${resources.job.ranAt}"), "x.yaml", TemplateEnvironment.Engine));
        var bad = Assert.Single(DocumentParser.ParseAll(Exec("${resources.job.output}"), "x.yaml", TemplateEnvironment.Engine));

        Assert.True(good.IsValid, string.Join("\n", good.Errors));
        Assert.Contains("output", Assert.Single(bad.Errors).Message, StringComparison.Ordinal);
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
        { ["web: ${resources.db.path}", "db: x"], ["db", "web"] },
        { ["a: ${resources.c.path}", "b: 2", "c: 3"], ["b", "c", "a"] },
        { ["app: ${resources.db.path}${resources.cache.path}", "cache: ${resources.net.path}", "db: ${resources.net.path}", "net: n"], ["net", "cache", "db", "app"] },
        { ["z: ${has(resources.y.path)}", "y: ${resources.x.size}", "x: 1"], ["x", "y", "z"] },
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

    private static readonly TargetInfo T1 = new("t1", new Dictionary<string, string>(), new Dictionary<string, string>(), "files");

    private static CompiledCapability WebReadingDb() =>
        new CapabilityRenderer(TemplateEnvironment.Engine).Compile(Parse("web: host=${resources.db.path}", "db: x").Capability!, revision: 1);

    [Fact]
    public void Render_WithoutObservedState_SendsTheReaderAwaitingIt_NeverAGuessedValue()
    {
        var rendered = WebReadingDb().Render(T1);

        Assert.Null(rendered.Error);
        Assert.Equal(["db", "web"], rendered.Resources.Select(r => r.Id));
        var web = rendered.Resources[1];
        Assert.Null(web.File);
        Assert.Equal(["db"], web.DependsOn);
        Assert.Equal("waiting for the observed state of db (rendered once it is ready on this target)", web.Awaiting);
        Assert.Empty(rendered.Resources[0].DependsOn);
    }

    public static TheoryData<bool, bool> NotYetUsable => new()
    {
        // ready, reported at the hash rendered now
        { false, true },
        { true, false },
    };

    [Theory]
    [MemberData(nameof(NotYetUsable))]
    public void Render_DependencyNotReadyOrReportedForAnotherHash_StillAwaits(bool ready, bool currentHash)
    {
        var compiled = WebReadingDb();
        var dbHash = compiled.Render(T1).Resources[0].Hash;
        var observed = new Dictionary<string, ObservedResource>
        {
            ["db"] = new(currentHash ? dbHash : "sha256:older", ready, Status("db.internal")),
        };

        var web = compiled.Render(T1, observed).Resources[1];

        Assert.NotNull(web.Awaiting);
        Assert.Null(web.File);
    }

    [Fact]
    public void Render_DependencyReadyAtItsCurrentHash_RendersTheReaderFromItsObservedState()
    {
        var compiled = WebReadingDb();
        var awaiting = compiled.Render(T1);
        var observed = new Dictionary<string, ObservedResource> { ["db"] = new(awaiting.Resources[0].Hash, true, Status("db.internal")) };

        var rendered = compiled.Render(T1, observed);
        var changed = compiled.Render(T1, new Dictionary<string, ObservedResource> { ["db"] = new(awaiting.Resources[0].Hash, true, Status("db2.internal")) });

        var web = rendered.Resources[1];
        Assert.Null(web.Awaiting);
        Assert.Equal("host=db.internal", web.File!.Content);
        Assert.Equal(["db"], web.DependsOn);
        Assert.NotEqual(awaiting.Hash, rendered.Hash);
        Assert.Equal("host=db2.internal", changed.Resources[1].File!.Content);
        Assert.NotEqual(rendered.Resources[1].Hash, changed.Resources[1].Hash);
        Assert.Equal(rendered.Resources[0].Hash, changed.Resources[0].Hash);
    }

    [Fact]
    public void Render_ObservedStateWithoutTheFieldRead_IsARenderErrorNamingIt()
    {
        var compiled = WebReadingDb();
        var dbHash = compiled.Render(T1).Resources[0].Hash;

        var rendered = compiled.Render(T1, new Dictionary<string, ObservedResource> { ["db"] = new(dbHash, true, new Dictionary<string, object?>()) });

        Assert.NotNull(rendered.Error);
        Assert.StartsWith("resource 'web' file.content:", rendered.Error);
    }

    [Fact]
    public void Render_ReadingAResourceThisTargetDoesNotReceive_IsARenderError()
    {
        var yaml = "apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: x }\nspec:\n  resources:\n"
            + "    - { id: db, file: { path: db, content: db }, includeWhen: [\"${target.labels.db == 'yes'}\"] }\n"
            + "    - { id: web, file: { path: web, content: \"${resources.db.path}\" } }\n";
        var document = Assert.Single(DocumentParser.ParseAll(yaml, "refs.yaml", TemplateEnvironment.Engine));
        var compiled = new CapabilityRenderer(TemplateEnvironment.Engine).Compile(document.Capability!, revision: 1);

        var rendered = compiled.Render(T1 with { Labels = new Dictionary<string, string> { ["db"] = "no" } });

        Assert.Equal("resource 'web' reads resources.db, which this target does not receive (its includeWhen left it out)", rendered.Error);
    }

    [Fact]
    public void ReferencedIds_AreTheResourcesOthersRead()
    {
        Assert.Equal(["db"], WebReadingDb().ReferencedIds);
    }

    /// <summary>A file's observed state as the files driver reports it (only <c>path</c> matters here).</summary>
    private static Dictionary<string, object?> Status(string path) =>
        new() { ["path"] = path, ["mode"] = "0644", ["size"] = 1L, ["sha256"] = "sha256:0" };

    [Fact]
    public void Render_ReadingResourceExcludedByIncludeWhen_RendersTheRest()
    {
        var yaml = "apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: x }\nspec:\n  resources:\n"
            + "    - { id: db, file: { path: db, content: db } }\n"
            + "    - { id: web, file: { path: web, content: \"${resources.db.path}\" }, includeWhen: [\"${target.labels.web == 'yes'}\"] }\n";
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
