using Fleet.Domain.Validation;

namespace Fleet.Domain.Tests.Validation;

public sealed class FilePathRulesTests
{
    [Theory]
    [InlineData("etc/motd")]
    [InlineData("a")]
    [InlineData("a/b.c/d..e/.hidden")]
    [InlineData("dir with spaces/é")]
    public void Check_RelativeNormalisedPath_IsAccepted(string path) => Assert.Null(FilePathRules.Check(path));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("/etc/passwd", "not absolute")]
    [InlineData("~/x", "'~'")]
    [InlineData("../x", "'..'")]
    [InlineData("a/../../x", "'..'")]
    [InlineData("a/..", "'..'")]
    [InlineData("a//b", "empty segment")]
    [InlineData("a/", "empty segment")]
    [InlineData("./a", "'.' segment")]
    [InlineData("a\\b", "'/' as its separator")]
    [InlineData("..\\x", "'/' as its separator")]
    [InlineData("C:/x", "drive letter")]
    [InlineData("a\0b", "NUL")]
    [InlineData("a\nb", "control character")]
    public void Check_UnsafePath_IsRejected(string path, string message)
    {
        var error = FilePathRules.Check(path);
        Assert.NotNull(error);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Length_IsAtMost4096()
    {
        Assert.Null(FilePathRules.Check(new string('a', 4096)));
        Assert.Contains("longer than 4096", FilePathRules.Check(new string('a', 4097)), StringComparison.Ordinal);
    }
}
