using Fleet.Domain.Serialization;

namespace Fleet.Domain.Tests.Serialization;

public sealed class ValueJsonTests
{
    [Fact]
    public void Deserialize_Json_GivesTheValueModel()
    {
        var value = ValueJson.Deserialize("""{"s":"x","i":3,"d":1.5,"b":true,"n":null,"l":[1,"a"],"m":{"k":"v"}}""");
        var map = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(value);
        Assert.Equal("x", map["s"]);
        Assert.Equal(3L, Assert.IsType<long>(map["i"]));
        Assert.Equal(1.5, Assert.IsType<double>(map["d"]));
        Assert.True(Assert.IsType<bool>(map["b"]));
        Assert.Null(map["n"]);
        Assert.Equal(new object?[] { 1L, "a" }, Assert.IsAssignableFrom<IReadOnlyList<object?>>(map["l"]));
        Assert.Equal("v", Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(map["m"])["k"]);
    }

    [Theory]
    [InlineData("""{"b":[1,2.5,"x\n",null,false],"a":{}}""", """{"a":{},"b":[1,2.5,"x\n",null,false]}""")]
    [InlineData("\"<tag> & 'q'\"", "\"<tag> & 'q'\"")]
    [InlineData("12345678901234567890", "1.2345678901234567E+19")]
    public void Serialize_Deserialized_IsCanonical(string json, string expected) =>
        Assert.Equal(expected, ValueJson.Serialize(ValueJson.Deserialize(json)));

    [Fact]
    public void Serialize_NonFiniteDouble_IsAString() => Assert.Equal("\"NaN\"", ValueJson.Serialize(double.NaN));

    [Theory]
    [InlineData("{\"x\": \"a\\ud800\"}", "line 1, column 9: \\ud800 is an unpaired surrogate, not a character")]
    [InlineData("[1,\n \"\\udc00\\ud800\"]", "line 2, column 3: \\udc00 is an unpaired surrogate, not a character")]
    [InlineData("{\"\\ud83d\\ude00\": 1, \"\\ud83d\": 2}", "line 1, column 22: \\ud83d is an unpaired surrogate, not a character")]
    public void Deserialize_UnpairedSurrogateEscape_IsAJsonErrorWithThePosition(string json, string expected) =>
        Assert.Equal(expected, Assert.Throws<System.Text.Json.JsonException>(() => ValueJson.Deserialize(json)).Message);

    [Fact]
    public void Deserialize_SurrogatePairEscape_IsTheCharacter() =>
        Assert.Equal("\U0001F600", ValueJson.Deserialize("\"\\ud83d\\ude00\""));
}
