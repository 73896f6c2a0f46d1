using System.Globalization;
using Fleet.Domain.Rendering;

namespace Fleet.Benchmarks;

/// <summary>
/// What the templates benchmark renders: a typical expression mix, a typical capability using the same
/// expressions, and synthetic targets whose labels and facts vary the way a real fleet's do.
/// Everything is generated from a fixed seed, so every run renders the same fleet.
/// </summary>
internal static class TemplateWorkload
{
    /// <summary>
    /// The <c>${...}</c> expressions of <see cref="CapabilityYaml"/> (and its placement <c>when</c>), each once:
    /// field and label lookups, a ternary, <c>has()</c>, <c>matches</c>, an <c>exists</c> macro over the
    /// labels' keys, string concatenation, <c>size</c> and a conversion.
    /// </summary>
    public static readonly IReadOnlyList<string> Expressions =
    [
        "target.name",
        "target.labels.region",
        "target.labels['env']",
        "capability.version",
        "target.labels.ring == 'canary' ? 'fast' : 'stable'",
        "!has(target.labels.tier) || target.labels.tier != 'legacy'",
        "target.name.matches('^web-[0-9]+$')",
        "target.labels.exists(k, k.startsWith('team-'))",
        "target.facts.os + '/' + target.facts.arch",
        "'revision ' + string(capability.revision) + ' of ' + capability.name",
        "target.labels.env == 'prod' ? 14 : 3",
        "size(target.labels) > 3 && target.driver == 'files'",
    ];

    /// <summary>
    /// A capability as teams write them: a selector and a <c>when</c>, three files with templated content (one with a
    /// templated path) and one more behind an <c>includeWhen</c>.
    /// </summary>
    public const string CapabilityYaml = """
        apiVersion: fleet/v1alpha1
        kind: Capability
        metadata:
          name: node-baseline
        spec:
          version: "2.4.1"
          placement:
            selector:
              matchExpressions:
                - { key: env, operator: In, values: [dev, demo, staging, prod] }
            when: ${!has(target.labels.tier) || target.labels.tier != 'legacy'}
          resources:
            - id: motd
              file:
                path: etc/motd
                mode: "0644"
                content: |
                  Welcome to ${target.name} (${target.labels.region}, ${target.labels['env']})
                  node-baseline ${capability.version}, ${'revision ' + string(capability.revision) + ' of ' + capability.name}
            - id: agent-config
              file:
                path: etc/fleet/agent.conf
                mode: "0640"
                content: |
                  name = ${target.name}
                  region = ${target.labels.region}
                  channel = ${target.labels.ring == 'canary' ? 'fast' : 'stable'}
                  platform = ${target.facts.os + '/' + target.facts.arch}
                  team_owned = ${target.labels.exists(k, k.startsWith('team-'))}
                  web_node = ${target.name.matches('^web-[0-9]+$')}
                  many_labels = ${size(target.labels) > 3 && target.driver == 'files'}
            - id: logrotate
              file:
                path: etc/logrotate.d/${capability.name}
                content: |
                  /var/log/${capability.name}/*.log {
                    rotate ${target.labels.env == 'prod' ? 14 : 3}
                    daily
                  }
            - id: canary-banner
              includeWhen: [ "${target.labels.ring == 'canary'}" ]
              file: { path: etc/motd.d/canary, content: "${target.name} is a canary in ${target.labels.region}\n" }
        """;

    private static readonly string[] Roles = ["web", "db", "cache", "batch"];
    private static readonly string[] Environments = ["dev", "demo", "staging", "prod", "prod", "prod", "lab"];
    private static readonly string[] Regions = ["eu-west", "eu-central", "us-east", "us-west", "ap-south"];
    private static readonly string[] Tiers = ["legacy", "standard", "standard", "premium"];
    private static readonly string[] Teams = ["payments", "search", "identity", "data", "edge"];

    /// <summary>
    /// <paramref name="count"/> distinct targets, all with the files driver: names <c>web-00042</c>, <c>db-00043</c>...;
    /// labels <c>env</c> (1 in 7 <c>lab</c>, which the selector leaves out), <c>region</c>, <c>ring</c> (1 in 20 canary),
    /// <c>tier</c> on 3 in 4 (a quarter of those <c>legacy</c>, which <c>when</c> leaves out), a <c>team-*</c> label on
    /// half, 0–4 more; facts <c>os</c>, <c>arch</c>, <c>kernel</c>, <c>cpus</c>.
    /// </summary>
    public static TargetInfo[] Targets(int count)
    {
        var random = new Random(20240611);
        var targets = new TargetInfo[count];
        for (var i = 0; i < count; i++)
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["env"] = Pick(random, Environments),
                ["region"] = Pick(random, Regions),
                ["ring"] = random.Next(20) == 0 ? "canary" : random.Next(3) == 0 ? "early" : "main",
            };
            if (random.Next(4) != 0)
            {
                labels["tier"] = Pick(random, Tiers);
            }

            if (random.Next(2) == 0)
            {
                labels["team-" + Pick(random, Teams)] = "owner";
            }

            for (var extra = random.Next(5); extra > 0; extra--)
            {
                labels[$"rack-{random.Next(100):00}"] = random.Next(1000).ToString(CultureInfo.InvariantCulture);
            }

            var facts = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["os"] = random.Next(10) == 0 ? "windows" : "linux",
                ["arch"] = random.Next(3) == 0 ? "arm64" : "amd64",
                ["kernel"] = $"6.{random.Next(1, 12)}.{random.Next(40)}",
                ["cpus"] = (2 << random.Next(5)).ToString(CultureInfo.InvariantCulture),
            };
            var name = $"{Pick(random, Roles)}-{i:00000}";
            targets[i] = new TargetInfo(name, labels, facts, "files");
        }

        return targets;
    }

    /// <summary>
    /// The variables an expression of the capability sees when rendered for <paramref name="target"/>, shaped as
    /// <see cref="CompiledCapability"/> builds them: <c>target</c> with labels and facts as maps of strings, and <c>capability</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, object?> Variables(TargetInfo target, IReadOnlyDictionary<string, object?> capability) =>
        new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["target"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["name"] = target.Name,
                ["labels"] = target.Labels.ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal),
                ["facts"] = target.Facts.ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal),
                ["driver"] = target.Driver,
            },
            ["capability"] = capability,
        };

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
