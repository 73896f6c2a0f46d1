using Fleet.Domain.Model;
using Fleet.Domain.Placement;

namespace Fleet.Domain.Tests.Placement;

public sealed class LabelSelectorParserTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void TryParse_Empty_IsEverything(string text)
    {
        Assert.True(LabelSelectorParser.TryParse(text, out var selector, out var error));
        Assert.Null(error);
        Assert.True(selector.IsEmpty);
    }

    [Theory]
    [InlineData("env=dev", "{env=dev}")]
    [InlineData("env==dev", "{env=dev}")]
    [InlineData(" env = dev , region=eu ", "{env=dev, region=eu}")]
    [InlineData("env!=prod", "{env NotIn [prod]}")]
    [InlineData("region in (eu,us)", "{region In [eu, us]}")]
    [InlineData("region in ( eu , us )", "{region In [eu, us]}")]
    [InlineData("region notin (asia)", "{region NotIn [asia]}")]
    [InlineData("canary", "{canary Exists}")]
    [InlineData("!legacy", "{legacy DoesNotExist}")]
    [InlineData("! legacy", "{legacy DoesNotExist}")]
    [InlineData("env=dev,region in (eu,us),!legacy,canary", "{env=dev, region In [eu, us], legacy DoesNotExist, canary Exists}")]
    [InlineData("app.kubernetes.io/name=web", "{app.kubernetes.io/name=web}")]
    [InlineData("env=", "{env=}")]
    [InlineData("env=dev,env=prod", "{env=dev, env In [prod]}")]
    public void TryParse_Syntax_BuildsTheSelector(string text, string expected)
    {
        Assert.True(LabelSelectorParser.TryParse(text, out var selector, out var error), error);
        Assert.Equal(expected, LabelSelectorFormatter.Format(selector));
    }

    [Theory]
    [InlineData("env=dev,", "expected a label key")]
    [InlineData(",env=dev", "expected a label key")]
    [InlineData("env in eu", "expected '('")]
    [InlineData("env in (eu", "expected ')'")]
    [InlineData("env in ()", "needs at least one value")]
    [InlineData("env near (x)", "unknown operator 'near'")]
    [InlineData("Bad Key=x", "unknown operator 'Key'")]
    [InlineData("-bad=x", "invalid label key '-bad'")]
    [InlineData("env=a b", "unexpected 'b'")]
    [InlineData("env=-x", "invalid label value '-x'")]
    [InlineData("env>3", "unexpected '>'")]
    [InlineData("!", "expected a label key, found the end")]
    public void TryParse_BadSyntax_FailsWithMessage(string text, string message)
    {
        Assert.False(LabelSelectorParser.TryParse(text, out _, out var error));
        Assert.NotNull(error);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_NotEqual_MatchesTargetsWithoutTheLabel()
    {
        Assert.True(LabelSelectorParser.TryParse("env!=prod", out var selector, out _));
        Assert.True(selector.Matches(new Dictionary<string, string>()));
        Assert.True(selector.Matches(new Dictionary<string, string> { ["env"] = "dev" }));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["env"] = "prod" }));
    }
}
