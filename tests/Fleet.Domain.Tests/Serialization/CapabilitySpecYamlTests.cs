using Fleet.Domain.Expressions;
using Fleet.Domain.Model;
using Fleet.Domain.Rendering;
using Fleet.Domain.Serialization;
using Fleet.Domain.Yaml;

namespace Fleet.Domain.Tests.Serialization;

public sealed class CapabilitySpecYamlTests
{
    public static TheoryData<string> Specimens => new() { "full", "minimal", "tricky" };

    private static CapabilitySpec Specimen(string which) => which switch
    {
        "full" => Specs.Full(),
        "minimal" => Specs.Minimal(),
        _ => Specs.Minimal() with
        {
            Version = "0644",
            Placement = new PlacementSpec
            {
                Selector = new LabelSelector { MatchLabels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["yes"] = "no", ["empty"] = "" } },
            },
            Resources =
            [
                new ResourceSpec { Id = "a", File = new FileSpec { Path = "dir/a: b", Content = "  leading spaces\ntrailing \n\n", Mode = "755" } },
                new ResourceSpec { Id = "b", File = new FileSpec { Path = "#x", Content = "null" } },
                new ResourceSpec { Id = "c", File = new FileSpec { Path = "c", Content = "- dash\n'quote'" } },
                new ResourceSpec { Id = "d", File = new FileSpec { Path = "d", Content = "\u001b[1mbold\n\0end" } },
            ],
            Rollout = new RolloutStrategySpec { MaxUnavailable = new IntOrPercent(3, false) },
        },
    };

    [Theory]
    [MemberData(nameof(Specimens))]
    public void Serialize_ParsedBack_GivesTheSameSpec(string which)
    {
        var spec = Specimen(which);
        var yaml = CapabilitySpecYaml.Serialize(spec);
        var document = DocumentParser.ParseOne(yaml, "describe.yaml", 1, TemplateEnvironment.Engine);
        Assert.True(document.IsValid, yaml + "\n" + string.Join("\n", document.Errors));
        Assert.Equal(CapabilitySpecJson.Serialize(spec), CapabilitySpecJson.Serialize(document.Capability!));
    }

    [Fact]
    public void Serialize_Full_ReadsLikeTheSpecShape()
    {
        var yaml = CapabilitySpecYaml.Serialize(Specs.Full());
        Assert.StartsWith("apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata:\n  name: motd\nspec:\n  version: \"1.1.0\"\n", yaml.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("mode: \"0644\"", yaml, StringComparison.Ordinal);
        Assert.Contains("maxUnavailable: 25%", yaml, StringComparison.Ordinal);
        Assert.Contains("content: |", yaml, StringComparison.Ordinal);
    }
}
