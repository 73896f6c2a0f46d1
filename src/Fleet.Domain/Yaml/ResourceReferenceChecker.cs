using Fleet.Domain.Expressions.Cel;
using Fleet.Domain.Rendering;

namespace Fleet.Domain.Yaml;

/// <summary>
/// References between resources (<c>resources.&lt;id&gt;</c>, SPEC §3): each must name another resource of this capability
/// that reaches the same targets, and together they must form no cycle, because the order in which an agent applies
/// the resources follows from them.
/// </summary>
internal sealed class ResourceReferenceChecker(DiagnosticSink sink, TemplateScope templates) : SectionReader(sink)
{
    /// <summary>Checks every reference of every resource, then the cycles; each problem is reported where a reference makes it.</summary>
    public void Check(IReadOnlyList<(string Id, string Kind, List<ResourceReference> References)> resources)
    {
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < resources.Count; i++)
        {
            if (resources[i].Id.Length > 0)
            {
                byId.TryAdd(resources[i].Id, i);
            }
        }

        var known = string.Join(", ", byId.Keys.Order(StringComparer.Ordinal));
        var dependencies = new List<HashSet<int>>(resources.Count);
        var edges = new Dictionary<(int From, int To), ResourceReference>();
        for (var i = 0; i < resources.Count; i++)
        {
            var (id, kind, references) = resources[i];
            var dependsOn = new HashSet<int>();
            dependencies.Add(dependsOn);
            foreach (var reference in references)
            {
                if (!byId.TryGetValue(reference.Id, out var target))
                {
                    ReportAt(reference.Scalar, reference.Offset, reference.Field,
                        $"unknown resource '{reference.Id}' in '${{{reference.Expression}}}' (resources of this capability: {known})");
                    continue;
                }

                if (target != i && kind.Length > 0 && resources[target].Kind.Length > 0 && resources[target].Kind != kind)
                {
                    ReportAt(reference.Scalar, reference.Offset, reference.Field,
                        $"resource '{id}' ({kind}) reads resources.{reference.Id}, a {resources[target].Kind} resource: a target applies only one kind, so it never has both");
                    continue;
                }

                dependsOn.Add(target);
                edges.TryAdd((i, target), reference);
            }
        }

        foreach (var cycle in ResourceGraph.Cycles(dependencies))
        {
            var reference = edges[(cycle[0], cycle[1])];
            var names = string.Join(" -> ", cycle.Select(i => resources[i].Id));
            ReportAt(reference.Scalar, reference.Offset, reference.Field, cycle.Count == 2
                ? $"resource '{resources[cycle[0]].Id}' reads resources.{resources[cycle[0]].Id}: a resource cannot wait for itself"
                : $"resources form a cycle: {names} (each reads the next, so none of them could be applied first)");
        }

        // What each reads of the others can be checked once the resources and their references hold.
        if (!Sink.HasErrorsUnder("spec.resources"))
        {
            CheckObservedFields(resources);
        }
    }

    /// <summary>
    /// What a reference reads of another resource, checked against the shape its driver reports (files:
    /// <c>{path, mode, size, sha256}</c>; exec: <c>{exitCode, stdoutTail, stderrTail, ranAt}</c>; a manifest is any
    /// Kubernetes object), so <c>${resources.db.nosuch}</c> or <c>${resources.db.size + "x"}</c> is refused here with its
    /// position rather than failing on every target.
    /// </summary>
    private void CheckObservedFields(IReadOnlyList<(string Id, string Kind, List<ResourceReference> References)> resources)
    {
        if (templates.Engine is not CelEngine cel || resources.All(r => r.References.Count == 0))
        {
            return;
        }

        var shapes = new Dictionary<string, CelType>(StringComparer.Ordinal);
        foreach (var (id, kind, _) in resources.Where(r => r.Id.Length > 0))
        {
            shapes.TryAdd(id, ObservedShape(kind));
        }

        var engine = new CelEngine(cel.Environment.WithVariable("resources", CelType.Object("resources", shapes)));
        foreach (var reference in resources.SelectMany(r => r.References).DistinctBy(r => (r.Scalar, r.Offset)))
        {
            var compiled = engine.Compile(reference.Expression);
            if (!compiled.Succeeded)
            {
                ReportAt(reference.Scalar, reference.Offset + 2 + compiled.ErrorOffset, reference.Field,
                    $"expression error at position {compiled.ErrorOffset} of '${{{reference.Expression}}}': {compiled.Error}");
            }
        }
    }

    private static CelType ObservedShape(string kind) => kind switch
    {
        "file" => CelType.Object("file observed state", new Dictionary<string, CelType>(StringComparer.Ordinal)
        {
            ["path"] = CelType.String,
            ["mode"] = CelType.String,
            ["size"] = CelType.Int,
            ["sha256"] = CelType.String,
        }),
        "exec" => CelType.Object("exec observed state", new Dictionary<string, CelType>(StringComparer.Ordinal)
        {
            // null when the command was killed or never started
            ["exitCode"] = CelType.Dyn,
            ["stdoutTail"] = CelType.String,
            ["stderrTail"] = CelType.String,
            ["ranAt"] = CelType.String,
        }),
        _ => CelType.Dyn,
    };
}
