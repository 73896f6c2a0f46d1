using Fleet.Domain.Diagnostics;
using Fleet.Domain.Expressions;
using Fleet.Domain.Model;
using Fleet.Domain.Rendering;
using Fleet.Domain.Validation;

namespace Fleet.Domain.Yaml;

/// <summary>
/// Reads one document's node tree into a <see cref="CapabilitySpec"/> and checks it against SPEC §2,
/// collecting every problem rather than stopping at the first: an operator fixes a file once, not once
/// per error. Each section has its own reader; all report into one <see cref="DiagnosticSink"/>, and the
/// model built is only handed out when no problem was found.
/// </summary>
internal sealed class CapabilityReader : SectionReader
{
    public const string ApiVersion = "fleet/v1alpha1";
    public const int MaxResources = 500;
    public const int MaxContentBytes = CompiledCapability.MaxContentBytes;

    private readonly IExpressionEngine _engine;

    public CapabilityReader(string source, int firstLine, string text, IExpressionEngine engine)
        : base(new DiagnosticSink(source, firstLine, text))
    {
        _engine = engine;
    }

    public IReadOnlyList<Diagnostic> Errors => Sink.Diagnostics;

    public string Kind { get; private set; } = "";

    public string Name { get; private set; } = "";

    /// <summary>The Instance read, when the document is a valid one (<see cref="Read"/> then returns null).</summary>
    public InstanceSpec? Instance { get; private set; }

    /// <summary>The capability read from <paramref name="root"/>, or null when anything is wrong with it.</summary>
    public CapabilitySpec? Read(DocNode root)
    {
        if (root is not DocMapping map)
        {
            Report(root, "", $"a document must be a mapping with apiVersion, kind, metadata and spec, not {root.Description}");
            return null;
        }

        var fields = Fields(map, "", ["apiVersion", "kind", "metadata", "spec"]);
        var apiVersion = RequiredString(map, fields, "apiVersion", "apiVersion");
        if (apiVersion is not null && apiVersion.Value.Value != ApiVersion)
        {
            Report(apiVersion.Value.Node, "apiVersion", $"apiVersion must be '{ApiVersion}', not '{apiVersion.Value.Value}'");
        }

        var kind = RequiredString(map, fields, "kind", "kind");
        Kind = kind?.Value ?? "";
        var isCapability = kind?.Value == "Capability";
        var isInstance = kind?.Value == "Instance";
        if (kind is { } k && !isCapability && !isInstance)
        {
            Report(k.Node, "kind", $"unknown kind '{k.Value}' (supported kinds: Capability, Instance)");
        }

        if (Mapping(map, fields, "metadata", "metadata", required: true) is { } metadata)
        {
            var metadataFields = Fields(metadata, "metadata", ["name"]);
            if (RequiredString(metadata, metadataFields, "name", "metadata.name") is { } name)
            {
                Name = name.Value;
                if (!NameRules.IsDns1123Label(name.Value))
                {
                    Report(name.Node, "metadata.name", $"'{name.Value}' is not a valid name: {Dns1123Rule}");
                }
            }
        }

        if (isInstance)
        {
            var instance = Mapping(map, fields, "spec", "spec", required: true) is { } instanceSpec ? new InstanceReader(Sink).Read(instanceSpec, Name) : null;
            Instance = Sink.IsEmpty ? instance : null;
            return null;
        }

        if (!isCapability)
        {
            // Without a known kind there is no schema to check the spec against.
            return null;
        }

        var spec = Mapping(map, fields, "spec", "spec", required: true) is { } specMap ? ReadSpec(specMap) : null;
        return Sink.IsEmpty && spec is not null ? spec with { Name = Name } : null;
    }

    /// <summary>A rollout strategy document on its own (<c>fleet rollout start -f STRATEGY.yaml</c>): the fields of <c>spec.rollout</c>.</summary>
    public RolloutStrategySpec? ReadStrategy(DocNode root)
    {
        if (Expect<DocMapping>(root, "") is not { } map)
        {
            return null;
        }

        var strategy = new RolloutReader(Sink).Read(map, "");
        return Sink.IsEmpty ? strategy : null;
    }

    /// <summary>
    /// The sections of a capability's spec, each read by its own reader. A new section is one more known field
    /// and one more line below.
    /// </summary>
    private CapabilitySpec ReadSpec(DocMapping spec)
    {
        var fields = Fields(spec, "spec", ["version", "inputs", "placement", "resources", "rollout", "validations"]);
        var version = OptionalString(fields, "version", "spec.version") ?? "";

        // Inputs first, whatever the order of the fields: every template is checked knowing whether they exist, and their types.
        var (inputs, templates) = new InputsReader(Sink).Read(fields.GetValueOrDefault("inputs"), _engine);
        var placement = Mapping(spec, fields, "placement", "spec.placement", required: false) is { } p ? new PlacementReader(Sink, templates).Read(p) : new PlacementSpec();
        var resources = Sequence(spec, fields, "resources", "spec.resources", required: true) is { } list ? ReadResources(list, templates) : [];
        var rollout = Mapping(spec, fields, "rollout", "spec.rollout", required: false) is { } r ? new RolloutReader(Sink).Read(r, "spec.rollout") : new RolloutStrategySpec();
        var validations = Sequence(spec, fields, "validations", "spec.validations", required: false) is { } v ? new ValidationsReader(Sink, templates).Read(v) : [];
        return new CapabilitySpec { Name = Name, Version = version, Inputs = inputs, Placement = placement, Resources = resources, Rollout = rollout, Validations = validations };
    }

    private List<ResourceSpec> ReadResources(DocSequence list, TemplateScope templates)
    {
        if (list.Items.Count == 0)
        {
            Report(list, "spec.resources", "a capability needs at least one resource");
        }
        else if (list.Items.Count > MaxResources)
        {
            Report(list, "spec.resources", $"a capability may have at most {MaxResources} resources, this one has {list.Items.Count}");
        }

        return new ResourcesReader(Sink, templates).Read(list);
    }
}
