using System.Text.Json;
using Fleet.Domain.Model;
using Fleet.Domain.Serialization;

namespace Fleet.Domain.Tests.Serialization;

public sealed class CapabilitySpecJsonTests
{
    [Fact]
    public void Serialize_Minimal_IsTheCanonicalForm()
    {
        // Pinned: revisions are compared and hashed on this text, so it must never drift.
        Assert.Equal(
            """{"name":"min","version":"","placement":{"selector":{"matchLabels":{},"matchExpressions":[]}},"resources":[{"id":"a","file":{"path":"a","content":""}}],"rollout":{}}""",
            CapabilitySpecJson.Serialize(Specs.Minimal()));
    }

    [Fact]
    public void Serialize_Full_SortsLabelsAndEscapesOnlyWhatJsonRequires()
    {
        var json = CapabilitySpecJson.Serialize(Specs.Full());
        Assert.Contains("""{"matchLabels":{"app.kubernetes.io/name":"x","env":"dev"}""", json, StringComparison.Ordinal);
        Assert.Contains("""\"quoted\" \\ tab\t é 🚀""", json, StringComparison.Ordinal);
        Assert.Contains("\"rollout\":{\"trigger\":\"manual\",\"maxUnavailable\":\"25%\",\"progressDeadlineSeconds\":600}", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", json, StringComparison.Ordinal);
    }

    public static TheoryData<string> Specimens => new() { "full", "minimal" };

    [Theory]
    [MemberData(nameof(Specimens))]
    public void Deserialize_Serialized_RoundTripsExactly(string which)
    {
        var spec = which == "full" ? Specs.Full() : Specs.Minimal();
        var json = CapabilitySpecJson.Serialize(spec);
        var back = CapabilitySpecJson.Deserialize(json);
        Assert.Equal(json, CapabilitySpecJson.Serialize(back));
        Assert.Equal(spec.Name, back.Name);
        Assert.Equal(spec.Placement, back.Placement);
        Assert.Equal(spec.Rollout, back.Rollout);
        Assert.Equal(spec.Resources, back.Resources);
    }

    [Fact]
    public void Serialize_DictionaryInsertionOrder_DoesNotMatter()
    {
        var a = Specs.Minimal() with
        {
            Placement = new PlacementSpec { Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["b"] = "1", ["a"] = "2", ["B"] = "3" } } },
        };
        var b = Specs.Minimal() with
        {
            Placement = new PlacementSpec { Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["a"] = "2", ["B"] = "3", ["b"] = "1" } } },
        };
        Assert.Equal(CapabilitySpecJson.Serialize(a), CapabilitySpecJson.Serialize(b));
        Assert.Contains("""{"B":"3","a":"2","b":"1"}""", CapabilitySpecJson.Serialize(a), StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_AnyChange_ChangesTheText()
    {
        var baseline = CapabilitySpecJson.Serialize(Specs.Full());
        var changed = new[]
        {
            Specs.Full() with { Version = "1.1.1" },
            Specs.Full() with { Placement = Specs.Full().Placement with { When = null } },
            Specs.Full() with { Resources = [.. Specs.Full().Resources.Take(1)] },
            Specs.Full() with { Rollout = new RolloutStrategySpec() },
            Specs.Full() with { Resources = [Specs.Full().Resources[0] with { File = Specs.Full().Resources[0].File! with { Mode = "644" } }, Specs.Full().Resources[1]] },
        };
        Assert.All(changed, spec => Assert.NotEqual(baseline, CapabilitySpecJson.Serialize(spec)));
        Assert.Equal(changed.Length, changed.Select(CapabilitySpecJson.Serialize).Distinct().Count());
    }

    [Fact]
    public void Serialize_ControlCharacters_AreEscaped()
    {
        var spec = Specs.Minimal() with { Version = "a\u0001b\u001fc" };
        var json = CapabilitySpecJson.Serialize(spec);
        Assert.Contains("""a\u0001b\u001fc""", json, StringComparison.Ordinal);
        Assert.Equal(spec.Version, CapabilitySpecJson.Deserialize(json).Version);
    }

    [Fact]
    public void Serialize_LoneSurrogate_BecomesReplacementCharacter()
    {
        var json = CapabilitySpecJson.Serialize(Specs.Minimal() with { Version = "a\ud800b\udc00" });
        Assert.Equal("a\ufffdb\ufffd", CapabilitySpecJson.Deserialize(json).Version);
        Assert.Equal(json, CapabilitySpecJson.Serialize(CapabilitySpecJson.Deserialize(json)));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"version":"x"}""")]
    [InlineData("""{"name":1}""")]
    [InlineData("""{"name":"x","rollout":{"trigger":"sometimes"}}""")]
    [InlineData("""{"name":"x","placement":{"selector":{"matchExpressions":[{"key":"a","operator":"Near"}]}}}""")]
    [InlineData("""{"name":"x","resources":[{"id":"a","file":{}}]}""")]
    [InlineData("not json")]
    public void Deserialize_Malformed_Throws(string json) => Assert.ThrowsAny<JsonException>(() => CapabilitySpecJson.Deserialize(json));
}
