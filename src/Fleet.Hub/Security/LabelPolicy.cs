using System.Text.Json;

namespace Fleet.Hub.Security;

/// <summary>
/// What an agent token decides about the target it enrolls, copied to the target's identity at
/// enrollment: its labels fixed by the operator, the label keys the agent may still set itself, and
/// its driver. <see cref="Labels"/> null is the trusting mode: the agent's hello asserts every label.
/// </summary>
/// <remarks>
/// Why it exists: placement selects on labels, so whoever chooses a target's labels chooses which
/// capabilities (and the secrets in them) the target receives. In trusting mode a stolen certificate
/// can claim any label; with enrolled labels it gets only what its target was enrolled for.
/// </remarks>
internal sealed record LabelPolicy(IReadOnlyDictionary<string, string>? Labels, IReadOnlyList<string> AllowedKeys, string? Driver)
{
    public static LabelPolicy Trusting { get; } = new(null, [], null);

    /// <summary>Whether the labels are fixed at enrollment (else the agent asserts them).</summary>
    public bool EnrollsLabels => Labels is not null;

    /// <summary>Whether the policy changes nothing of today's behaviour (no row is stored for it).</summary>
    public bool IsTrusting => Labels is null && Driver is null;

    /// <summary>
    /// The policy a token is created with: labels are enrolled when labels or allowed keys are given.
    /// A key may not be both fixed and settable by the agent: which one would win is a question better not asked.
    /// </summary>
    public static (LabelPolicy? Policy, string? Problem) Create(
        IReadOnlyDictionary<string, string> labels, IReadOnlyList<string> allowedKeys, string driver)
    {
        if (allowedKeys.FirstOrDefault(labels.ContainsKey) is { } both)
        {
            return (null, $"label key '{both}' is both fixed (--label) and left to the agent (--allow-label-keys); choose one");
        }

        var enrolled = labels.Count > 0 || allowedKeys.Count > 0;
        return (new LabelPolicy(
            enrolled ? new SortedDictionary<string, string>(labels.ToDictionary(), StringComparer.Ordinal) : null,
            [.. allowedKeys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            driver.Length == 0 ? null : driver), null);
    }

    /// <summary>
    /// The labels the hub uses for a hello that says <paramref name="helloLabels"/> and
    /// <paramref name="helloDriver"/>, or why the hello is refused. A hello may repeat an enrolled
    /// label with its enrolled value (an agent configured alike is not wrong) and may set allowed keys;
    /// any other label, or an enrolled label with another value, is refused.
    /// </summary>
    public (IReadOnlyDictionary<string, string>? Labels, string? Problem) Decide(IReadOnlyDictionary<string, string> helloLabels, string helloDriver)
    {
        if (Driver is not null && helloDriver != Driver)
        {
            return (null, $"this target was enrolled with driver {Driver}; the agent runs driver {helloDriver}");
        }

        if (Labels is null)
        {
            return (helloLabels, null);
        }

        var allowed = AllowedKeys.ToHashSet(StringComparer.Ordinal);
        var refused = helloLabels
            .Where(l => !allowed.Contains(l.Key) && !(Labels.TryGetValue(l.Key, out var enrolled) && enrolled == l.Value))
            .OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => $"{l.Key}={l.Value}")
            .ToList();
        if (refused.Count > 0)
        {
            return (null,
                $"this target's labels were fixed at enrollment ({Describe(Labels)}; the agent may set {(AllowedKeys.Count == 0 ? "no keys" : "keys " + string.Join(",", AllowedKeys))}); " +
                $"the agent may not set {string.Join(", ", refused)}: remove them from the agent's --label flags");
        }

        var effective = new SortedDictionary<string, string>(Labels.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in helloLabels.Where(l => allowed.Contains(l.Key)))
        {
            effective[key] = value;
        }

        return (effective, null);
    }

    public static string Describe(IReadOnlyDictionary<string, string> labels) =>
        labels.Count == 0 ? "no labels" : string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    /// <summary>The stored form of <see cref="Labels"/> (JSON object, null in trusting mode).</summary>
    public string? LabelsJson => Labels is null ? null : JsonSerializer.Serialize(Labels);

    public string KeysJson => JsonSerializer.Serialize(AllowedKeys);

    public static LabelPolicy FromStored(string? labelsJson, string keysJson, string? driver) => new(
        labelsJson is null ? null : JsonSerializer.Deserialize<SortedDictionary<string, string>>(labelsJson)!,
        JsonSerializer.Deserialize<List<string>>(keysJson)!,
        driver);
}
