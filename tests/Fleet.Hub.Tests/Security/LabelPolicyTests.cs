using Fleet.Hub.Security;

namespace Fleet.Hub.Tests.Security;

public sealed class LabelPolicyTests
{
    private static readonly LabelPolicy Fixed = LabelPolicy.Create(
        new Dictionary<string, string> { ["env"] = "prod", ["region"] = "eu" }, ["zone"], "").Policy!;

    [Fact]
    public void Create_NeitherLabelsNorKeys_IsTrusting_AndTheAgentsLabelsAreUsed()
    {
        var (policy, _) = LabelPolicy.Create(new Dictionary<string, string>(), [], "");
        var (labels, problem) = policy!.Decide(new Dictionary<string, string> { ["env"] = "anything" }, "files");

        Assert.True(policy.IsTrusting);
        Assert.Null(problem);
        Assert.Equal("anything", labels!["env"]);
    }

    [Fact]
    public void Create_OnlyAllowedKeys_FixesNoLabelsButEnrollsThem()
    {
        var (policy, _) = LabelPolicy.Create(new Dictionary<string, string>(), ["zone"], "");

        Assert.True(policy!.EnrollsLabels);
        Assert.NotNull(policy.Decide(new Dictionary<string, string> { ["env"] = "prod" }, "files").Problem);
    }

    [Fact]
    public void Create_AKeyBothFixedAndAllowed_IsRefused()
    {
        var (policy, problem) = LabelPolicy.Create(new Dictionary<string, string> { ["env"] = "prod" }, ["env"], "");

        Assert.Null(policy);
        Assert.Contains("'env' is both fixed", problem);
    }

    [Fact]
    public void Decide_NoLabelsOrTheEnrolledOnes_GivesTheEnrolledLabels()
    {
        var none = Fixed.Decide(new Dictionary<string, string>(), "files");
        var same = Fixed.Decide(new Dictionary<string, string> { ["env"] = "prod" }, "files");

        Assert.Equal(Fixed.Labels, none.Labels);
        Assert.Equal(Fixed.Labels, same.Labels);
    }

    [Fact]
    public void Decide_AnAllowedKey_IsAddedToTheEnrolledLabels()
    {
        var (labels, problem) = Fixed.Decide(new Dictionary<string, string> { ["zone"] = "a" }, "files");

        Assert.Null(problem);
        Assert.Equal(new Dictionary<string, string> { ["env"] = "prod", ["region"] = "eu", ["zone"] = "a" }, labels!.ToDictionary());
    }

    [Theory]
    [InlineData("env", "dev")]
    [InlineData("tier", "gold")]
    public void Decide_AnEnrolledLabelChangedOrAnotherKey_IsRefusedNamingIt(string key, string value)
    {
        var (labels, problem) = Fixed.Decide(new Dictionary<string, string> { [key] = value, ["zone"] = "a" }, "files");

        Assert.Null(labels);
        Assert.Contains($"may not set {key}={value}", problem);
        Assert.Contains("env=prod,region=eu", problem);
    }

    [Fact]
    public void Decide_AnotherDriverThanEnrolled_IsRefused()
    {
        var (policy, _) = LabelPolicy.Create(new Dictionary<string, string>(), [], "exec");

        Assert.False(policy!.EnrollsLabels);
        Assert.Contains("driver exec", policy.Decide(new Dictionary<string, string>(), "files").Problem);
        Assert.Null(policy.Decide(new Dictionary<string, string>(), "exec").Problem);
    }

    [Fact]
    public void FromStored_OfTheStoredForm_IsThePolicy()
    {
        var stored = LabelPolicy.FromStored(Fixed.LabelsJson, Fixed.KeysJson, Fixed.Driver);

        Assert.Equal(Fixed.Labels, stored.Labels);
        Assert.Equal(Fixed.AllowedKeys, stored.AllowedKeys);
        Assert.Null(stored.Driver);
    }
}
