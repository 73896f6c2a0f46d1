using System.Globalization;
using System.Text;
using Fleet.Domain.Diagnostics;
using Fleet.Domain.Expressions;
using Fleet.Domain.Expressions.Cel;
using Fleet.Domain.Model;
using Fleet.Domain.Rendering;
using Fleet.Domain.Rollouts;
using Fleet.Domain.Validation;

namespace Fleet.Domain.Yaml;

/// <summary>
/// Reads one document's node tree into a <see cref="CapabilitySpec"/> and checks it against SPEC §2,
/// collecting every problem rather than stopping at the first: an operator fixes a file once, not once
/// per error. The model it builds is only handed out when no problem was found.
/// </summary>
internal sealed partial class CapabilityReader
{
    public const string ApiVersion = "fleet/v1alpha1";
    public const int MaxResources = 500;
    public const int MaxContentBytes = CompiledCapability.MaxContentBytes;

    private const string Dns1123Rule = "lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";
    private const string LabelKeyRule = "an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
    private const string LabelValueRule = "empty, or at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";

    private static readonly IReadOnlySet<string> PlacementVariables = new HashSet<string>(StringComparer.Ordinal) { "target" };

    private readonly string _source;
    private readonly int _firstLine;
    private readonly ScalarPositions _positions;
    private readonly List<Diagnostic> _errors = [];

    /// <summary>The engine templates are checked with; once a capability's inputs are read, one that knows their types.</summary>
    private IExpressionEngine _engine;

    public CapabilityReader(string source, int firstLine, string text, IExpressionEngine engine)
    {
        _source = source;
        _firstLine = firstLine;
        _engine = engine;
        _positions = new ScalarPositions(text);
    }

    public IReadOnlyList<Diagnostic> Errors => _errors;

    public string Kind { get; private set; } = "";

    public string Name { get; private set; } = "";

    /// <summary>The Instance read, when the document is a valid one (<see cref="Read"/> then returns null).</summary>
    public InstanceSpec? Instance { get; private set; }

    /// <summary>What resource templates may read: with inputs, also <c>inputs</c> and <c>instance</c>.</summary>
    private IReadOnlySet<string> ResourceVariables => WithInputs("target", "capability", "resources");

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
            var instance = Mapping(map, fields, "spec", "spec", required: true) is { } instanceSpec ? ReadInstance(instanceSpec) : null;
            Instance = _errors.Count == 0 ? instance : null;
            return null;
        }

        if (!isCapability)
        {
            // Without a known kind there is no schema to check the spec against.
            return null;
        }

        var spec = Mapping(map, fields, "spec", "spec", required: true) is { } specMap ? ReadSpec(specMap) : null;
        return _errors.Count == 0 && spec is not null ? spec with { Name = Name } : null;
    }

    private CapabilitySpec ReadSpec(DocMapping spec)
    {
        var fields = Fields(spec, "spec", ["version", "inputs", "placement", "resources", "rollout", "validations"]);
        var version = OptionalString(fields, "version", "spec.version") ?? "";

        // Inputs first, whatever the order of the fields: every template is checked knowing whether they exist, and their types.
        var inputs = fields.TryGetValue("inputs", out var inputsEntry) ? ReadInputs(inputsEntry) : null;
        var placement = Mapping(spec, fields, "placement", "spec.placement", required: false) is { } p ? ReadPlacement(p) : new PlacementSpec();
        var resources = new List<ResourceSpec>();
        if (Sequence(spec, fields, "resources", "spec.resources", required: true) is { } list)
        {
            if (list.Items.Count == 0)
            {
                Report(list, "spec.resources", "a capability needs at least one resource");
            }
            else if (list.Items.Count > MaxResources)
            {
                Report(list, "spec.resources", $"a capability may have at most {MaxResources} resources, this one has {list.Items.Count}");
            }

            resources = ReadResources(list);
        }

        var rollout = Mapping(spec, fields, "rollout", "spec.rollout", required: false) is { } r ? ReadRollout(r) : new RolloutStrategySpec();
        return new CapabilitySpec { Name = Name, Version = version, Inputs = inputs, Placement = placement, Resources = resources, Rollout = rollout, Validations = ReadValidations(spec, fields, inputs is not null) };
    }

    private PlacementSpec ReadPlacement(DocMapping placement)
    {
        var fields = Fields(placement, "spec.placement", ["selector", "when"]);
        var selector = Mapping(placement, fields, "selector", "spec.placement.selector", required: false) is { } s
            ? ReadSelector(s, "spec.placement.selector")
            : LabelSelector.Everything;
        string? when = null;
        if (fields.TryGetValue("when", out var entry) && !IsNull(entry.Value) && String(entry.Value, "spec.placement.when") is { } text)
        {
            when = text;
            var template = CheckTemplate((DocScalar)entry.Value, "spec.placement.when", PlacementVariables);
            if (template is not null && !template.IsSingleExpression)
            {
                Report(entry.Value, "spec.placement.when", "when must be exactly one ${...} expression, e.g. ${target.labels.tier != \"legacy\"}");
            }
            else if (template?.Expressions[0] is { Compiled: CelProgram { ResultType.Kind: not (CelTypeKind.Bool or CelTypeKind.Dyn) } program } expression)
            {
                // Known before any target exists: a condition of another type could never place anything.
                ReportAt((DocScalar)entry.Value, expression.Offset, "spec.placement.when", $"when must give a bool, but '${{{program.Text}}}' gives {program.ResultType}");
            }
        }

        return new PlacementSpec { Selector = selector, When = when };
    }

    private LabelSelector ReadSelector(DocMapping selector, string path)
    {
        var fields = Fields(selector, path, ["matchLabels", "matchExpressions"]);
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (Mapping(selector, fields, "matchLabels", path + ".matchLabels", required: false) is { } matchLabels)
        {
            foreach (var (keyNode, valueNode) in matchLabels.Entries)
            {
                if (String(keyNode, path + ".matchLabels") is not { } key)
                {
                    continue;
                }

                var field = $"{path}.matchLabels.{key}";
                if (!NameRules.IsLabelKey(key))
                {
                    Report(keyNode, field, $"'{key}' is not a valid label key: {LabelKeyRule}");
                }

                var value = IsNull(valueNode) ? "" : String(valueNode, field);
                if (value is not null && !NameRules.IsLabelValue(value))
                {
                    Report(valueNode, field, $"'{value}' is not a valid label value: {LabelValueRule}");
                }

                if (!labels.TryAdd(key, value ?? ""))
                {
                    Report(keyNode, field, $"duplicate label key '{key}'");
                }
            }
        }

        var requirements = new List<LabelSelectorRequirement>();
        if (Sequence(selector, fields, "matchExpressions", path + ".matchExpressions", required: false) is { } expressions)
        {
            for (var i = 0; i < expressions.Items.Count; i++)
            {
                var itemPath = $"{path}.matchExpressions[{i}]";
                if (Expect<DocMapping>(expressions.Items[i], itemPath) is { } item && ReadRequirement(item, itemPath) is { } requirement)
                {
                    requirements.Add(requirement);
                }
            }
        }

        return labels.Count == 0 && requirements.Count == 0
            ? LabelSelector.Everything
            : new LabelSelector { MatchLabels = labels, MatchExpressions = requirements };
    }

    private LabelSelectorRequirement? ReadRequirement(DocMapping item, string path)
    {
        var fields = Fields(item, path, ["key", "operator", "values"]);
        var key = RequiredString(item, fields, "key", path + ".key");
        if (key is { } k && !NameRules.IsLabelKey(k.Value))
        {
            Report(k.Node, path + ".key", $"'{k.Value}' is not a valid label key: {LabelKeyRule}");
        }

        SelectorOperator? op = null;
        if (RequiredString(item, fields, "operator", path + ".operator") is { } o)
        {
            op = o.Value switch
            {
                "In" => SelectorOperator.In,
                "NotIn" => SelectorOperator.NotIn,
                "Exists" => SelectorOperator.Exists,
                "DoesNotExist" => SelectorOperator.DoesNotExist,
                _ => null,
            };
            if (op is null)
            {
                Report(o.Node, path + ".operator", $"unknown operator '{o.Value}' (want In, NotIn, Exists or DoesNotExist)");
            }
        }

        var values = new List<string>();
        fields.TryGetValue("values", out var valuesEntry);
        var valuesGiven = valuesEntry is not null && !IsNull(valuesEntry.Value);
        if (valuesGiven && Expect<DocSequence>(valuesEntry!.Value, path + ".values") is { } list)
        {
            for (var i = 0; i < list.Items.Count; i++)
            {
                var field = $"{path}.values[{i}]";
                if (String(list.Items[i], field) is { } value)
                {
                    if (!NameRules.IsLabelValue(value))
                    {
                        Report(list.Items[i], field, $"'{value}' is not a valid label value: {LabelValueRule}");
                    }

                    values.Add(value);
                }
            }
        }

        switch (op)
        {
            case SelectorOperator.In or SelectorOperator.NotIn when values.Count == 0:
                Report(valuesGiven ? valuesEntry!.Value : item, path + ".values", $"operator {op} needs at least one value");
                break;
            case SelectorOperator.Exists or SelectorOperator.DoesNotExist when values.Count > 0:
                Report(valuesEntry!.Value, path + ".values", $"operator {op} takes no values");
                break;
        }

        return key is not null && op is not null ? new LabelSelectorRequirement(key.Value.Value, op.Value, values) : null;
    }

    private List<ResourceSpec> ReadResources(DocSequence list)
    {
        var resources = new List<ResourceSpec>();
        var graph = new List<(string Id, string Kind, List<ResourceReference> References)>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < list.Items.Count; i++)
        {
            var path = $"spec.resources[{i}]";
            if (Expect<DocMapping>(list.Items[i], path) is not { } item)
            {
                continue;
            }

            var fields = Fields(item, path, ["id", "file", "manifest", "exec", "readyWhen", "includeWhen"]);
            var id = RequiredString(item, fields, "id", path + ".id");
            if (id is { } given)
            {
                if (!NameRules.IsDns1123Label(given.Value))
                {
                    Report(given.Node, path + ".id", $"'{given.Value}' is not a valid resource id: {Dns1123Rule}");
                }
                else if (!ids.TryAdd(given.Value, Line(given.Node)))
                {
                    Report(given.Node, path + ".id", $"duplicate resource id '{given.Value}' (first used on line {ids[given.Value]})");
                }
            }

            var kinds = new[] { "file", "manifest", "exec" }
                .Where(kind => fields.TryGetValue(kind, out var e) && !IsNull(e.Value))
                .ToList();
            if (kinds.Count == 0)
            {
                Report(item, path, "a resource needs exactly one of file, manifest or exec");
            }
            else if (kinds.Count > 1)
            {
                Report(fields[kinds[1]].Key, path, $"a resource needs exactly one of file, manifest or exec, not both '{kinds[0]}' and '{kinds[1]}'");
            }

            _references = [];
            FileSpec? file = null;
            if (kinds.Contains("file") && Expect<DocMapping>(fields["file"].Value, path + ".file") is { } fileMap)
            {
                file = ReadFile(fileMap, path + ".file");
            }

            ManifestSpec? manifest = null;
            if (kinds.Contains("manifest") && Expect<DocMapping>(fields["manifest"].Value, path + ".manifest") is { } manifestMap)
            {
                manifest = ReadManifest(manifestMap, path + ".manifest");
            }

            ExecSpec? exec = null;
            if (kinds.Contains("exec") && Expect<DocMapping>(fields["exec"].Value, path + ".exec") is { } execMap)
            {
                exec = ReadExec(execMap, path + ".exec");
            }

            var readyWhen = fields.TryGetValue("readyWhen", out var readyEntry)
                ? ReadReadyWhen(readyEntry, path + ".readyWhen", kinds.Contains("manifest"))
                : [];
            var includeWhen = fields.TryGetValue("includeWhen", out var includeEntry)
                ? ReadIncludeWhen(includeEntry, path + ".includeWhen")
                : [];
            resources.Add(new ResourceSpec { Id = id?.Value ?? "", File = file, Manifest = manifest, Exec = exec, ReadyWhen = readyWhen, IncludeWhen = includeWhen });
            graph.Add((id?.Value ?? "", kinds.Count == 1 ? kinds[0] : "", _references));
            _references = null;
        }

        CheckReferences(graph);
        return resources;
    }

    private FileSpec ReadFile(DocMapping file, string path)
    {
        var fields = Fields(file, path, ["path", "content", "mode"]);
        var filePath = RequiredString(file, fields, "path", path + ".path");
        if (filePath is { } p)
        {
            if (p.Value.Length > FilePathRules.MaxLength)
            {
                Report(p.Node, path + ".path", $"path is longer than {FilePathRules.MaxLength} characters");
            }
            else if (CheckTemplate((DocScalar)p.Node, path + ".path", ResourceVariables) is { } template
                && FilePathRules.Check(template.WithPlaceholders("x")) is { } error)
            {
                // Expressions stand in as a plain name here; what they produce is checked again after rendering.
                Report(p.Node, path + ".path", error);
            }
        }

        var content = "";
        if (fields.TryGetValue("content", out var contentEntry) && !IsNull(contentEntry.Value) && String(contentEntry.Value, path + ".content") is { } text)
        {
            content = text;
            if (Encoding.UTF8.GetByteCount(text) > MaxContentBytes)
            {
                Report(contentEntry.Value, path + ".content", $"content is larger than {MaxContentBytes / 1024} KiB");
            }
            else
            {
                CheckTemplate((DocScalar)contentEntry.Value, path + ".content", ResourceVariables);
            }
        }

        var mode = OptionalString(fields, "mode", path + ".mode");
        if (mode is not null && !FileModes.IsValid(mode))
        {
            Report(fields["mode"].Value, path + ".mode", $"'{mode}' is not a file mode: want three octal digits with an optional leading 0, e.g. \"0644\"");
        }

        return new FileSpec { Path = filePath?.Value ?? "", Content = content, Mode = mode };
    }

    /// <summary>A rollout strategy document on its own (<c>fleet rollout start -f STRATEGY.yaml</c>): the fields of <c>spec.rollout</c>.</summary>
    public RolloutStrategySpec? ReadStrategy(DocNode root)
    {
        if (Expect<DocMapping>(root, "") is not { } map)
        {
            return null;
        }

        var strategy = ReadRollout(map, "");
        return _errors.Count == 0 ? strategy : null;
    }

    private RolloutStrategySpec ReadRollout(DocMapping rollout, string path = "spec.rollout")
    {
        var fields = Fields(rollout, path, ["trigger", "maxUnavailable", "soakSeconds", "progressDeadlineSeconds", "failureBudget", "onFailure", "offlineTargets", "waves", "window"]);
        RolloutTrigger? trigger = OptionalChoice(fields, "trigger", path, ("auto", RolloutTrigger.Auto), ("manual", RolloutTrigger.Manual));
        var maxUnavailable = OptionalCount(fields, "maxUnavailable", Join(path, "maxUnavailable"), allowZero: false);
        var soak = OptionalInt(fields, "soakSeconds", Join(path, "soakSeconds"), 0, 7 * 86400);
        var deadline = OptionalInt(fields, "progressDeadlineSeconds", Join(path, "progressDeadlineSeconds"), 1, 86400);
        FailureBudgetSpec? budget = null;
        if (Mapping(rollout, fields, "failureBudget", Join(path, "failureBudget"), required: false) is { } budgetMap)
        {
            var budgetPath = Join(path, "failureBudget");
            var budgetFields = Fields(budgetMap, budgetPath, ["maxFailures", "minSample"]);
            budget = new FailureBudgetSpec
            {
                MaxFailures = OptionalCount(budgetFields, "maxFailures", budgetPath + ".maxFailures", allowZero: true),
                MinSample = OptionalInt(budgetFields, "minSample", budgetPath + ".minSample", 1, 1_000_000),
            };
        }

        OnFailure? onFailure = OptionalChoice(fields, "onFailure", path, ("pause", OnFailure.Pause), ("rollback", OnFailure.Rollback));
        OfflineTargets? offline = OptionalChoice(fields, "offlineTargets", path, ("wait", OfflineTargets.Wait), ("skip", OfflineTargets.Skip));
        List<WaveSpec>? waves = null;
        if (Sequence(rollout, fields, "waves", Join(path, "waves"), required: false) is { } waveList)
        {
            waves = ReadWaves(waveList, Join(path, "waves"));
        }

        WindowSpec? window = null;
        if (Mapping(rollout, fields, "window", Join(path, "window"), required: false) is { } windowMap)
        {
            window = ReadWindow(windowMap, Join(path, "window"));
        }

        return new RolloutStrategySpec
        {
            Trigger = trigger,
            MaxUnavailable = maxUnavailable,
            SoakSeconds = soak,
            ProgressDeadlineSeconds = deadline,
            FailureBudget = budget,
            OnFailure = onFailure,
            OfflineTargets = offline,
            Waves = waves,
            Window = window,
        };
    }

    private List<WaveSpec> ReadWaves(DocSequence list, string path)
    {
        var waves = new List<WaveSpec>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (list.Items.Count is 0 or > 20)
        {
            Report(list, path, "waves needs from 1 to 20 waves (leave it out for one wave of every target)");
        }

        for (var i = 0; i < list.Items.Count; i++)
        {
            var wavePath = $"{path}[{i}]";
            if (Expect<DocMapping>(list.Items[i], wavePath) is not { } item)
            {
                continue;
            }

            var fields = Fields(item, wavePath, ["name", "selector", "maxUnavailable", "soakSeconds", "approval"]);
            var name = RequiredString(item, fields, "name", wavePath + ".name");
            if (name is { } n && !NameRules.IsDns1123Label(n.Value))
            {
                Report(n.Node, wavePath + ".name", $"'{n.Value}' is not a valid wave name: {Dns1123Rule}");
            }
            else if (name is { } unique && !names.Add(unique.Value))
            {
                Report(unique.Node, wavePath + ".name", $"duplicate wave name '{unique.Value}'");
            }

            var selector = Mapping(item, fields, "selector", wavePath + ".selector", required: false) is { } s ? ReadSelector(s, wavePath + ".selector") : null;
            if (selector is null && i < list.Items.Count - 1)
            {
                Report(item, wavePath + ".selector", "only the last wave may leave out its selector (a wave without one takes every remaining target)");
            }

            bool approval = false;
            if (OptionalString(fields, "approval", wavePath + ".approval") is { } a)
            {
                if (a is "true" or "false")
                {
                    approval = a == "true";
                }
                else
                {
                    Report(fields["approval"].Value, wavePath + ".approval", $"approval must be true or false, not '{a}'");
                }
            }

            waves.Add(new WaveSpec
            {
                Name = name?.Value ?? "",
                Selector = selector,
                MaxUnavailable = OptionalCount(fields, "maxUnavailable", wavePath + ".maxUnavailable", allowZero: false),
                SoakSeconds = OptionalInt(fields, "soakSeconds", wavePath + ".soakSeconds", 0, 7 * 86400),
                Approval = approval,
            });
        }

        return waves;
    }

    private WindowSpec? ReadWindow(DocMapping map, string path)
    {
        var fields = Fields(map, path, ["schedule", "durationMinutes", "timeZone"]);
        var schedule = RequiredString(map, fields, "schedule", path + ".schedule");
        var duration = OptionalInt(fields, "durationMinutes", path + ".durationMinutes", 1, MaintenanceWindow.MaxDurationMinutes);
        if (duration is null && !fields.ContainsKey("durationMinutes"))
        {
            Report(map, path + ".durationMinutes", "durationMinutes is required");
        }

        var zone = OptionalString(fields, "timeZone", path + ".timeZone") ?? "UTC";
        if (schedule is null || duration is null)
        {
            return null;
        }

        var spec = new WindowSpec { Schedule = schedule.Value.Value, DurationMinutes = duration.Value, TimeZone = zone };
        if (MaintenanceWindow.TryCreate(spec, out var error) is null)
        {
            Report(error!.StartsWith("time zone", StringComparison.Ordinal) && fields.TryGetValue("timeZone", out var tz) ? tz.Value : schedule.Value.Node,
                error.StartsWith("time zone", StringComparison.Ordinal) ? path + ".timeZone" : path + ".schedule", error);
            return null;
        }

        return spec;
    }

    private T? OptionalChoice<T>(Dictionary<string, DocEntry> fields, string name, string path, params (string Text, T Value)[] choices)
        where T : struct
    {
        if (OptionalString(fields, name, Join(path, name)) is not { } text)
        {
            return null;
        }

        foreach (var (choice, value) in choices)
        {
            if (choice == text)
            {
                return value;
            }
        }

        Report(fields[name].Value, Join(path, name), $"{name} must be {string.Join(" or ", choices.Select(c => $"'{c.Text}'"))}, not '{text}'");
        return null;
    }

    private IntOrPercent? OptionalCount(Dictionary<string, DocEntry> fields, string name, string field, bool allowZero)
    {
        if (OptionalString(fields, name, field) is not { } text)
        {
            return null;
        }

        if (IntOrPercent.TryParse(text, out var parsed) && text.Trim() == text && (allowZero || parsed.Value >= 1))
        {
            return parsed;
        }

        var lowest = allowZero ? "0" : "1";
        Report(fields[name].Value, field, $"{name} must be a count of at least {lowest} or a percentage from {lowest}% to 100%, not '{text}'");
        return null;
    }

    private int? OptionalInt(Dictionary<string, DocEntry> fields, string name, string field, int min, int max)
    {
        if (OptionalString(fields, name, field) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Report(fields[name].Value, field, $"{name} must be a whole number from {min} to {max}, not '{text}'");
        return null;
    }

    /// <summary>
    /// Compiles every <c>${...}</c> of a string field and checks that it reads only the variables
    /// <paramref name="allowed"/> there; errors point at the character in the source where it can be known.
    /// </summary>
    private Template? CheckTemplate(DocScalar scalar, string field, IReadOnlySet<string> allowed)
    {
        var result = Template.Parse(scalar.Value, _engine);
        foreach (var error in result.Errors)
        {
            ReportAt(scalar, error.Offset, field, error.Message);
        }

        if (result.Template is not { } template)
        {
            return null;
        }

        var unknown = false;
        foreach (var expression in template.Expressions)
        {
            foreach (var root in expression.Compiled.RootVariables.Where(r => !allowed.Contains(r)).Order(StringComparer.Ordinal))
            {
                unknown = true;
                ReportAt(scalar, expression.Offset, field,
                    $"unknown variable '{root}' in '${{{expression.Text}}}' (available here: {string.Join(", ", allowed.Order(StringComparer.Ordinal))})");
            }
        }

        if (unknown)
        {
            return null;
        }

        if (allowed.Contains("resources"))
        {
            NoteReferences(scalar, field, template);
        }

        return template;
    }

    /// <summary>
    /// The entries of <paramref name="map"/> by key, reporting unknown keys (typos would otherwise be
    /// silently ignored) and duplicate keys.
    /// </summary>
    private Dictionary<string, DocEntry> Fields(DocMapping map, string path, string[] known)
    {
        var fields = new Dictionary<string, DocEntry>(StringComparer.Ordinal);
        foreach (var entry in map.Entries)
        {
            if (entry.Key is not DocScalar { } key)
            {
                Report(entry.Key, path, $"keys must be strings, not {entry.Key.Description}");
                continue;
            }

            var field = Join(path, key.Value);
            if (!known.Contains(key.Value, StringComparer.Ordinal))
            {
                var suggestion = Suggestions.Closest(key.Value, known);
                Report(key, field, suggestion is null ? $"unknown field '{key.Value}'" : $"unknown field '{key.Value}' (did you mean '{suggestion}'?)");
            }
            else if (!fields.TryAdd(key.Value, entry))
            {
                Report(key, field, $"duplicate field '{key.Value}'");
            }
        }

        return fields;
    }

    private DocMapping? Mapping(DocMapping parent, Dictionary<string, DocEntry> fields, string name, string field, bool required) =>
        Present(parent, fields, name, field, required) is { } node ? Expect<DocMapping>(node, field) : null;

    private DocSequence? Sequence(DocMapping parent, Dictionary<string, DocEntry> fields, string name, string field, bool required) =>
        Present(parent, fields, name, field, required) is { } node ? Expect<DocSequence>(node, field) : null;

    private (DocNode Node, string Value)? RequiredString(DocMapping parent, Dictionary<string, DocEntry> fields, string name, string field) =>
        Present(parent, fields, name, field, required: true) is { } node && String(node, field) is { } value ? (node, value) : null;

    private string? OptionalString(Dictionary<string, DocEntry> fields, string name, string field) =>
        fields.TryGetValue(name, out var entry) && !IsNull(entry.Value) ? String(entry.Value, field) : null;

    /// <summary>The value of a field that has one; a missing required field is reported at its parent.</summary>
    private DocNode? Present(DocMapping parent, Dictionary<string, DocEntry> fields, string name, string field, bool required)
    {
        if (fields.TryGetValue(name, out var entry) && !IsNull(entry.Value))
        {
            return entry.Value;
        }

        if (required)
        {
            Report(entry?.Key ?? parent, field, $"{name} is required");
        }

        return null;
    }

    private T? Expect<T>(DocNode node, string field)
        where T : DocNode
    {
        if (node is T typed)
        {
            return typed;
        }

        var wanted = typeof(T) == typeof(DocMapping) ? "a mapping" : typeof(T) == typeof(DocSequence) ? "a list" : "a string";
        Report(node, field, $"must be {wanted}, not {node.Description}");
        return null;
    }

    private string? String(DocNode node, string field) => Expect<DocScalar>(node, field)?.Value;

    private static bool IsNull(DocNode node) => node is DocScalar { IsNull: true };

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private int Line(DocNode node) => _firstLine + (int)node.Start.Line - 1;

    private void Report(DocNode node, string field, string message) =>
        _errors.Add(new Diagnostic(_source, Line(node), (int)node.Start.Column, field, message));

    private void ReportAt(DocScalar scalar, int valueOffset, string field, string message)
    {
        var (line, column) = _positions.Of(scalar, valueOffset);
        _errors.Add(new Diagnostic(_source, _firstLine + line - 1, column, field, message));
    }
}
