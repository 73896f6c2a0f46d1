using Fleet.Domain.Expressions;
using Fleet.Domain.Expressions.Cel;
using Fleet.Domain.Inputs;
using Fleet.Domain.Validation;

namespace Fleet.Domain.Rendering;

/// <summary>
/// Rendering per Instance (SPEC §2): a capability with inputs reaches targets once per Instance, as
/// <c>capability/instance</c>, with <c>inputs</c> and <c>instance</c> bound for its templates.
/// </summary>
public sealed partial class CompiledCapability
{
    private readonly IReadOnlyDictionary<string, object?>? _inputsValue;
    private readonly IReadOnlyDictionary<string, object?>? _instanceValue;
    private readonly string? _instanceProblem;
    private readonly IReadOnlyDictionary<CompiledResource, BoundReadyWhen>? _readyWhen;

    private CompiledCapability(CompiledCapability capability, string instance, IReadOnlyDictionary<string, object?> givenInputs, long? instanceRevision)
    {
        Spec = capability.Spec;
        Revision = instanceRevision ?? capability.Revision;
        _resources = capability._resources;
        ReferencedIds = capability.ReferencedIds;
        _when = capability._when;
        _capabilityValue = capability._capabilityValue;
        _engine = capability._engine;
        _validations = capability._validations;
        Instance = instance;
        _instanceValue = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = instance };
        if (Spec.Inputs is null)
        {
            _instanceProblem = $"capability '{Spec.Name}' takes no inputs: it is delivered to every placed target without an Instance";
            return;
        }

        var validation = InputValidator.Validate(Spec.Inputs, givenInputs);
        if (!validation.IsValid)
        {
            _instanceProblem = $"the inputs of instance '{instance}' do not fit revision {Revision} of capability '{Spec.Name}': {string.Join("; ", validation.Violations)}";
            return;
        }

        _inputsValue = validation.Resolved;
        var constants = new Dictionary<string, object?>(StringComparer.Ordinal) { ["inputs"] = _inputsValue, ["instance"] = _instanceValue };
        _readyWhen = _resources.Where(r => r.ReadyWhen.Count > 0).ToDictionary(r => r, r => Bind(r, constants));
    }

    /// <summary>The Instance this is rendered for; null for the capability itself.</summary>
    public string? Instance { get; }

    /// <summary>
    /// The same revision rendered for Instance <paramref name="instanceName"/>: <see cref="Render"/> gives key
    /// <c>capability/instance</c> and binds <c>inputs</c> (with this revision's defaults applied) and <c>instance.name</c>;
    /// placement is the capability's. Inputs resolved against another revision are resolved again here; when they do not
    /// fit this one, or the capability takes no inputs, every render carries that as its error instead of resources.
    /// </summary>
    /// <param name="instanceRevision">
    /// The Instance's own revision this renders, which targets report and rollouts count (null: the capability's). Templates
    /// still see the capability's revision as <c>capability.revision</c>.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="instanceName"/> is not a DNS-1123 label.</exception>
    public CompiledCapability ForInstance(string instanceName, IReadOnlyDictionary<string, object?> resolvedInputs, long? instanceRevision = null)
    {
        ArgumentNullException.ThrowIfNull(instanceName);
        ArgumentNullException.ThrowIfNull(resolvedInputs);
        if (!NameRules.IsDns1123Label(instanceName))
        {
            throw new ArgumentException($"'{instanceName}' is not a valid instance name", nameof(instanceName));
        }

        return new CompiledCapability(this, instanceName, resolvedInputs, instanceRevision);
    }

    /// <summary>Why nothing of this capability can be rendered as it stands; null when it can.</summary>
    private string? InstanceError() => Instance is not null
        ? _instanceProblem
        : HasInputs ? $"capability '{Spec.Name}' takes inputs: it is rendered per Instance" : null;

    private void AddInstanceVariables(Dictionary<string, object?> variables)
    {
        if (Instance is not null)
        {
            variables["inputs"] = _inputsValue;
            variables["instance"] = _instanceValue;
        }
    }

    /// <summary>The <c>readyWhen</c> conditions the agent receives; an error when the Instance's values cannot be written into them.</summary>
    private IReadOnlyList<string> ReadyWhenOf(CompiledResource resource, out string? error)
    {
        error = null;
        if (_readyWhen is null || !_readyWhen.TryGetValue(resource, out var bound))
        {
            return resource.ReadyWhen;
        }

        error = bound.Error;
        return bound.Conditions;
    }

    /// <summary>
    /// The agent evaluates <c>readyWhen</c> with <c>self</c> alone, so the Instance's <c>inputs</c> and <c>instance</c> are
    /// written into each condition as values; the result must still compile where the agent compiles it.
    /// </summary>
    private BoundReadyWhen Bind(CompiledResource resource, IReadOnlyDictionary<string, object?> constants)
    {
        var limits = _engine is CelEngine cel ? cel.Environment.Limits : CelLimits.Default;
        var conditions = new List<string>(resource.ReadyWhen.Count);
        for (var i = 0; i < resource.ReadyWhen.Count; i++)
        {
            var condition = resource.ReadyWhen[i];
            try
            {
                var parsed = Template.Parse(condition, _engine);
                if (parsed.Template is null)
                {
                    return new BoundReadyWhen([], $"resource '{resource.Id}' readyWhen[{i}]: {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
                }

                var text = condition;
                foreach (var expression in parsed.Template.Expressions.Where(e => e.Compiled.RootVariables.Overlaps(constants.Keys)).OrderByDescending(e => e.Offset))
                {
                    var start = expression.Offset + 2;
                    text = string.Concat(text.AsSpan(0, start), CelConstantBinder.Bind(expression.Text, constants, limits), text.AsSpan(start + expression.Text.Length));
                }

                if (Template.Parse(text, TemplateEnvironment.Engine).Errors is { Count: > 0 } errors)
                {
                    return new BoundReadyWhen([], $"resource '{resource.Id}' readyWhen[{i}] with the inputs of instance '{Instance}' written in: {errors[0].Message}");
                }

                conditions.Add(text);
            }
            catch (CelCompileException e)
            {
                return new BoundReadyWhen([], $"resource '{resource.Id}' readyWhen[{i}]: {e.Message}");
            }
        }

        return new BoundReadyWhen(conditions, null);
    }
}
