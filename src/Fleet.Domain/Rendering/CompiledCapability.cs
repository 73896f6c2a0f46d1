using Fleet.Domain.Expressions;
using Fleet.Domain.Model;
using Fleet.Domain.Placement;
using Fleet.Domain.Serialization;
using Fleet.Domain.Validation;

namespace Fleet.Domain.Rendering;

/// <summary>
/// One capability revision, ready to be placed and rendered for any target. Rendering never throws
/// for bad templates or values: the result carries the error, because one odd target must not stop
/// the hub from serving all the others.
/// </summary>
public sealed partial class CompiledCapability
{
    /// <summary>The most a file's content may hold, as written and again after templating, so a template cannot inflate it.</summary>
    public const int MaxContentBytes = 1024 * 1024;

    private readonly IReadOnlyList<CompiledResource> _resources;
    private readonly CompiledTemplate? _when;
    private readonly IReadOnlyDictionary<string, object?> _capabilityValue;
    private readonly IExpressionEngine _engine;
    private readonly CompiledValidations _validations;

    internal CompiledCapability(CapabilitySpec spec, long revision, IExpressionEngine engine)
    {
        Spec = spec;
        Revision = revision;
        _engine = TemplateEnvironment.ForCapability(engine, spec.Inputs);
        engine = _engine;
        _resources = InApplyOrder([.. spec.Resources.Select(r => new CompiledResource(r, engine))]);
        ReferencedIds = _resources.SelectMany(r => r.References).ToHashSet(StringComparer.Ordinal);
        _when = spec.Placement.When is { } when ? new CompiledTemplate(when, engine) : null;
        _validations = new CompiledValidations(spec.Validations, engine);
        _capabilityValue = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = spec.Name,
            ["version"] = spec.Version,
            ["revision"] = revision,
        };
    }

    public CapabilitySpec Spec { get; }

    public long Revision { get; }

    /// <summary>Whether the capability takes inputs, so it is rendered per Instance (<see cref="ForInstance"/>), never on its own.</summary>
    public bool HasInputs => Spec.HasInputs;

    /// <summary>The key of what a target receives: the capability's name, or <c>capability/instance</c> for an Instance.</summary>
    public string Key => Instance is null ? Spec.Name : $"{Spec.Name}/{Instance}";

    /// <summary>
    /// The resource ids in the order an agent applies them (and removes them, backwards): each after the resources it reads
    /// through <c>resources.&lt;id&gt;</c>, otherwise as written.
    /// </summary>
    public IReadOnlyList<string> ApplyOrder => [.. _resources.Select(r => r.Id)];

    /// <summary>The ids other resources read through <c>resources.&lt;id&gt;</c>: whose observed state rendering needs.</summary>
    public IReadOnlySet<string> ReferencedIds { get; }

    /// <summary>
    /// The resources <paramref name="target"/>'s driver applies, templated for it. A resource that reads
    /// <c>resources.&lt;id&gt;</c> is rendered with <paramref name="observed"/> (what the target reported) once each resource
    /// it reads is Ready there at the hash rendered now; until then it is sent as awaiting that state. All expressions
    /// together stay within <paramref name="budget"/> (by default <see cref="RenderLimits.Default"/> on the system clock):
    /// a render that runs out of it is Failed, naming the resource (<see cref="RenderedCapability.OverBudgetResource"/>).
    /// </summary>
    /// <exception cref="OperationCanceledException">The caller's cancellation of <paramref name="budget"/> fired.</exception>
    public RenderedCapability Render(TargetInfo target, IReadOnlyDictionary<string, ObservedResource>? observed = null, RenderBudget? budget = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (budget is not null)
        {
            return RenderWithin(target, observed, budget);
        }

        using var own = new RenderBudget(RenderLimits.Default, TimeProvider.System);
        return RenderWithin(target, observed, own);
    }

    private RenderedCapability RenderWithin(TargetInfo target, IReadOnlyDictionary<string, ObservedResource>? observed, RenderBudget budget)
    {
        var key = Key;
        if (InstanceError() is { } instanceError)
        {
            return Failed(key, instanceError);
        }

        var applicable = _resources.Where(r => DriverNames.Applies(r.Driver, target.Driver)).ToList();
        if (applicable.Count == 0)
        {
            return Failed(key, $"driver '{target.Driver}' can apply none of the resources of capability '{Spec.Name}'");
        }

        var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["target"] = TargetValue(target),
            ["capability"] = _capabilityValue,
        };
        AddInstanceVariables(variables);
        var rendered = new List<RenderedResource>(applicable.Count);
        var evaluation = budget.Evaluation;
        foreach (var resource in applicable)
        {
            try
            {
                if (RenderOne(key, resource, variables, rendered, observed, evaluation) is { } error)
                {
                    return evaluation.IsExhausted
                        ? Failed(key, error) with { OverBudgetResource = resource.Id }
                        : Failed(key, error);
                }
            }
            catch (OperationCanceledException) when (budget.TimedOut)
            {
                return Failed(key, $"resource '{resource.Id}': rendering took longer than the {budget.Limits.MaxDuration.TotalSeconds:0.###} s a render may take")
                    with { OverBudgetResource = resource.Id };
            }
        }

        if (CheckValidations(key, rendered, variables, evaluation) is { } violated)
        {
            return violated;
        }

        var w = new CanonicalJsonWriter().StartArray().String(key).StartArray();
        foreach (var resource in rendered)
        {
            w.StartArray().String(resource.Id).String(resource.Hash).EndArray();
        }

        var hash = ContentHash.Of(w.EndArray().EndArray().ToString());
        return new RenderedCapability(key, Spec.Name, Revision, hash, rendered, null);
    }

    /// <summary>Adds <paramref name="resource"/> to <paramref name="rendered"/> unless its includeWhen leaves it out; the error otherwise.</summary>
    private string? RenderOne(
        string key,
        CompiledResource resource,
        Dictionary<string, object?> variables,
        List<RenderedResource> rendered,
        IReadOnlyDictionary<string, ObservedResource>? observed,
        EvaluationBudget budget)
    {
        if (!Included(resource, variables, budget, out var includeError))
        {
            return includeError;
        }

        var resourceVariables = variables;
        IReadOnlyList<string> dependsOn = [];
        if (resource.References.Count > 0)
        {
            dependsOn = [.. resource.References.Order(StringComparer.Ordinal)];
            var known = ObservedState(resource, rendered, observed, out var waitingFor, out var referenceError);
            if (referenceError is not null)
            {
                return referenceError;
            }

            if (known is null)
            {
                // Inventing a value would send a wrong resource: the agent holds what it has until the state is known.
                rendered.Add(AwaitingResource(key, resource.Id, dependsOn, waitingFor!));
                return null;
            }

            resourceVariables = new Dictionary<string, object?>(variables, StringComparer.Ordinal) { ["resources"] = known };
        }

        var readyWhen = ReadyWhenOf(resource, out var readyWhenError);
        if (readyWhenError is not null)
        {
            return readyWhenError;
        }

        var result = RenderResource(resource, resourceVariables, readyWhen, budget, out var error);
        if (result is null)
        {
            return error!;
        }

        rendered.Add(dependsOn.Count == 0 ? result : WithDependencies(result, dependsOn));
        return null;
    }

    /// <summary>
    /// The observed objects <paramref name="resource"/> reads, when each of them is rendered for this target and Ready
    /// there at the hash rendered now (a state reported for an older hash would render from stale values); otherwise
    /// null with what it waits for. A reference to a resource left out for this target is an error: it never comes.
    /// </summary>
    private static Dictionary<string, object?>? ObservedState(
        CompiledResource resource,
        IReadOnlyList<RenderedResource> renderedSoFar,
        IReadOnlyDictionary<string, ObservedResource>? observed,
        out string? waitingFor,
        out string? error)
    {
        waitingFor = null;
        error = null;
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var waiting = new List<string>();
        foreach (var id in resource.References.Order(StringComparer.Ordinal))
        {
            var dependency = renderedSoFar.FirstOrDefault(r => r.Id == id);
            if (dependency is null)
            {
                error = $"resource '{resource.Id}' reads resources.{id}, which this target does not receive (its includeWhen left it out)";
                return null;
            }

            if (dependency.Awaiting is null && observed?.GetValueOrDefault(id) is { Ready: true } state && state.Hash == dependency.Hash)
            {
                values[id] = state.Value;
            }
            else
            {
                waiting.Add(id);
            }
        }

        if (waiting.Count == 0)
        {
            return values;
        }

        waitingFor = $"waiting for the observed state of {string.Join(", ", waiting)} (rendered once {(waiting.Count == 1 ? "it is" : "they are")} ready on this target)";
        return null;
    }

    private static RenderedResource AwaitingResource(string key, string id, IReadOnlyList<string> dependsOn, string waitingFor)
    {
        var w = new CanonicalJsonWriter().StartArray().String(key).String(id).String("awaiting").String(waitingFor).StartArray();
        foreach (var dependency in dependsOn)
        {
            w.String(dependency);
        }

        return new RenderedResource(id, ContentHash.Of(w.EndArray().EndArray().ToString()), null) { DependsOn = dependsOn, Awaiting = waitingFor };
    }

    /// <summary>The dependencies are part of what the agent converges to, so they are part of the hash.</summary>
    private static RenderedResource WithDependencies(RenderedResource resource, IReadOnlyList<string> dependsOn)
    {
        var w = new CanonicalJsonWriter().StartArray().String(resource.Hash).StartArray();
        foreach (var dependency in dependsOn)
        {
            w.String(dependency);
        }

        return resource with { Hash = ContentHash.Of(w.EndArray().EndArray().ToString()), DependsOn = dependsOn };
    }

    private static List<CompiledResource> InApplyOrder(List<CompiledResource> resources)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < resources.Count; i++)
        {
            index.TryAdd(resources[i].Id, i);
        }

        // References to unknown ids cannot be stored (apply refuses them); ignoring them here keeps rendering total.
        var dependencies = resources
            .Select(r => (IReadOnlyCollection<int>)[.. r.References.Where(index.ContainsKey).Select(id => index[id])])
            .ToList();
        return [.. ResourceGraph.ApplyOrder(dependencies).Select(i => resources[i])];
    }

    /// <summary>
    /// Whether every <c>includeWhen</c> of <paramref name="resource"/> is true; a condition that fails or gives anything but a
    /// bool is an error naming the resource, because silently leaving the resource out would hide the mistake.
    /// </summary>
    private static bool Included(CompiledResource resource, IReadOnlyDictionary<string, object?> variables, EvaluationBudget budget, out string? error)
    {
        error = null;
        for (var i = 0; i < resource.IncludeWhen.Count; i++)
        {
            var condition = resource.IncludeWhen[i];
            object? value;
            try
            {
                value = condition.Render(variables, budget);
            }
            catch (ExpressionException e)
            {
                error = $"resource '{resource.Id}' includeWhen[{i}]: {e.Message}";
                return false;
            }

            if (value is not bool included)
            {
                error = $"resource '{resource.Id}' includeWhen[{i}]: {condition.Text} must give a bool, not {TypeName(value)}";
                return false;
            }

            if (!included)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="target"/> receives this capability: the selector first, then <c>when</c>.</summary>
    public PlacementDecision Place(TargetInfo target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var reasons = new List<string>(2);
        if (!Spec.Placement.Selector.IsEmpty)
        {
            var decision = SelectorMatcher.Explain(Spec.Placement.Selector, target.Labels);
            if (!decision.Placed)
            {
                return decision;
            }

            reasons.Add(decision.Reason);
        }

        if (_when is not null)
        {
            object? value;
            try
            {
                value = _when.Render(new Dictionary<string, object?>(StringComparer.Ordinal) { ["target"] = TargetValue(target) });
            }
            catch (ExpressionException e)
            {
                return new PlacementDecision(false, $"when {_when.Text} failed: {e.Message}") { WhenFailed = true };
            }

            if (value is not bool placed)
            {
                return new PlacementDecision(false, $"when {_when.Text} must give a bool, not {TypeName(value)}") { WhenFailed = true };
            }

            if (!placed)
            {
                return new PlacementDecision(false, $"when {_when.Text} is false");
            }

            reasons.Add($"when {_when.Text} is true");
        }

        return reasons.Count == 0
            ? new PlacementDecision(true, "no placement constraints")
            : new PlacementDecision(true, string.Join(" and ", reasons));
    }

    /// <summary>
    /// Why the placement's <c>when</c> fails on every target, when it reads nothing of the target (so <c>fleet apply</c> can
    /// refuse it instead of every target silently counting as not placed); null when it works or depends on the target.
    /// </summary>
    public string? ConstantWhenError()
    {
        if (_when is not { IsConstant: true })
        {
            return null;
        }

        object? value;
        try
        {
            value = _when.Render(new Dictionary<string, object?>(StringComparer.Ordinal));
        }
        catch (ExpressionException e)
        {
            return $"when {_when.Text} failed: {e.Message}";
        }

        return value is bool ? null : $"when {_when.Text} must give a bool, not {TypeName(value)}";
    }

    /// <summary><c>target</c> in the documented value model: labels and facts as maps of strings.</summary>
    internal static IReadOnlyDictionary<string, object?> TargetValue(TargetInfo target) =>
        new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = target.Name,
            ["labels"] = ToMap(target.Labels),
            ["facts"] = ToMap(target.Facts),
            ["driver"] = target.Driver,
        };

    private static IReadOnlyDictionary<string, object?> ToMap(IReadOnlyDictionary<string, string> source) =>
        source.ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal);

    private static string TypeName(object? value) => value switch
    {
        null => "null",
        string s => $"string '{s}'",
        _ => ExpressionValues.TypeName(value),
    };

    private RenderedCapability Failed(string key, string error)
    {
        // The error is part of the hash so an agent sees a changed failure as a change.
        var hash = ContentHash.Of(new CanonicalJsonWriter().StartArray().String(key).String(error).EndArray().ToString());
        return new RenderedCapability(key, Spec.Name, Revision, hash, [], error);
    }

    private static RenderedResource? RenderFile(CompiledResource resource, IReadOnlyDictionary<string, object?> variables, EvaluationBudget budget, out string? error)
    {
        error = null;
        string path;
        string content;
        try
        {
            path = resource.Path!.RenderString(variables, budget);
        }
        catch (ExpressionException e)
        {
            error = $"resource '{resource.Id}' file.path: {e.Message}";
            return null;
        }

        try
        {
            content = resource.Content!.RenderString(variables, budget);
        }
        catch (ExpressionException e)
        {
            error = $"resource '{resource.Id}' file.content: {e.Message}";
            return null;
        }

        if (FilePathRules.Check(path) is { } pathError)
        {
            error = $"resource '{resource.Id}' file.path: {pathError}";
            return null;
        }

        if (System.Text.Encoding.UTF8.GetByteCount(content) > MaxContentBytes)
        {
            error = $"resource '{resource.Id}' file.content: rendered content is larger than {MaxContentBytes} bytes";
            return null;
        }

        if (resource.Mode is not null && !FileModes.IsValid(resource.Mode))
        {
            error = $"resource '{resource.Id}' file.mode: '{resource.Mode}' is not an octal file mode like 0644";
            return null;
        }

        var mode = FileModes.Normalize(resource.Mode);
        var encoding = new CanonicalJsonWriter()
            .StartArray().String(resource.Id).String(resource.Kind).String(path).String(content).String(mode).EndArray()
            .ToString();
        return new RenderedResource(resource.Id, ContentHash.Of(encoding), new RenderedFile(path, content, mode));
    }
}
