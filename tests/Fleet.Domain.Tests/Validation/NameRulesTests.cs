using Fleet.Domain.Validation;

namespace Fleet.Domain.Tests.Validation;

public sealed class NameRulesTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("motd", true)]
    [InlineData("a-1", true)]
    [InlineData("0abc", true)]
    [InlineData("", false)]
    [InlineData("-a", false)]
    [InlineData("a-", false)]
    [InlineData("Bad_Name", false)]
    [InlineData("UPPER", false)]
    [InlineData("a.b", false)]
    [InlineData("é", false)]
    public void IsDns1123Label_Name_FollowsKubernetes(string name, bool expected) => Assert.Equal(expected, NameRules.IsDns1123Label(name));

    [Fact]
    public void IsDns1123Label_Length_IsAtMost63()
    {
        Assert.True(NameRules.IsDns1123Label(new string('a', 63)));
        Assert.False(NameRules.IsDns1123Label(new string('a', 64)));
    }

    [Theory]
    [InlineData("env", true)]
    [InlineData("Env_1.x-y", true)]
    [InlineData("app.kubernetes.io/name", true)]
    [InlineData("example.com/A", true)]
    [InlineData("", false)]
    [InlineData("/name", false)]
    [InlineData("example.com/", false)]
    [InlineData("a/b/c", false)]
    [InlineData("Example.com/name", false)]
    [InlineData("-env", false)]
    [InlineData("env-", false)]
    [InlineData("e nv", false)]
    public void IsLabelKey_Key_FollowsKubernetes(string key, bool expected) => Assert.Equal(expected, NameRules.IsLabelKey(key));

    [Fact]
    public void IsLabelKey_Lengths_AreBounded()
    {
        var label = new string('a', 63);
        var prefix = string.Join('.', Enumerable.Repeat(label, 4))[..253];
        Assert.True(NameRules.IsLabelKey(prefix + "/" + label));
        Assert.False(NameRules.IsLabelKey(prefix + "a/" + label));
        Assert.False(NameRules.IsLabelKey(label + "a"));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("dev", true)]
    [InlineData("v1.2_3-x", true)]
    [InlineData("a b", false)]
    [InlineData("-x", false)]
    [InlineData("x/y", false)]
    public void IsLabelValue_Value_FollowsKubernetes(string value, bool expected) => Assert.Equal(expected, NameRules.IsLabelValue(value));

    [Fact]
    public void IsLabelValue_Length_IsAtMost63()
    {
        Assert.True(NameRules.IsLabelValue(new string('a', 63)));
        Assert.False(NameRules.IsLabelValue(new string('a', 64)));
    }
}
