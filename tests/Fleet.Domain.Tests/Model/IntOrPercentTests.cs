using Fleet.Domain.Model;

namespace Fleet.Domain.Tests.Model;

public sealed class IntOrPercentTests
{
    [Theory]
    [InlineData("25%", 5, 2)]
    [InlineData("100%", 7, 7)]
    [InlineData("1%", 3, 1)]
    [InlineData("3", 10, 3)]
    [InlineData("0", 10, 1)]
    public void Resolve_Text_GivesAtLeastOne(string text, int total, int expected)
    {
        Assert.True(IntOrPercent.TryParse(text, out var value));
        Assert.Equal(expected, value.Resolve(total));
    }

    [Theory]
    [InlineData("101%")]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("")]
    public void TryParse_Invalid_ReturnsFalse(string text) => Assert.False(IntOrPercent.TryParse(text, out _));
}
