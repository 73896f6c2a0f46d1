using System.Text.Json;
using Fleet.Domain.Model;
using Fleet.Domain.Serialization;

namespace Fleet.Domain.Tests.Inputs;

/// <summary>The canonical JSON of an Instance's inputs, which the hub stores and hashes, and equality of Instances.</summary>
public sealed class InputValuesJsonTests
{
    [Fact]
    public void Values_Serialize_IsCanonicalAndKeepsDoublesApartFromIntegers()
    {
        var values = new Dictionary<string, object?>
        {
            ["z"] = 1.0,
            ["a"] = 1L,
            ["m"] = new Dictionary<string, object?> { ["y"] = new List<object?> { 2.5, 3L, "s" }, ["b"] = true },
            ["big"] = 1e300,
            ["text"] = "é \"q\"",
        };
        var json = InputValuesJson.Serialize(values);
        Assert.Equal("""{"a":1,"big":1E+300,"m":{"b":true,"y":[2.5,3,"s"]},"text":"é \"q\"","z":1.0}""", json);
        var back = InputValuesJson.Deserialize(json);
        Assert.IsType<long>(back["a"]);
        Assert.IsType<double>(back["z"]);
        Assert.IsType<double>(back["big"]);
        Assert.Equal(json, InputValuesJson.Serialize(back));
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("1")]
    [InlineData("{")]
    public void Values_Deserialize_NotAnObject_Throws(string json) =>
        Assert.ThrowsAny<JsonException>(() => InputValuesJson.Deserialize(json));

    [Fact]
    public void InstanceSpec_Equality_ComparesTheValues()
    {
        var a = new InstanceSpec { Name = "i", Capability = "c", Inputs = new Dictionary<string, object?> { ["x"] = new List<object?> { 1L } } };
        var b = new InstanceSpec { Name = "i", Capability = "c", Inputs = new SortedDictionary<string, object?> { ["x"] = new[] { (object?)1L } } };
        Assert.Equal(a, b);
        Assert.NotEqual(a, b with { Inputs = new Dictionary<string, object?> { ["x"] = new List<object?> { 1.0 } } });
    }
}
