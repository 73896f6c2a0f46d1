using Fleet.Agent.Drivers.Files;

namespace Fleet.Agent.Tests.Drivers.Files;

public sealed class PermissionBitsTests
{
    [Theory]
    [InlineData("", "0644", 0x1A4)]
    [InlineData("0644", "0644", 0x1A4)]
    [InlineData("644", "0644", 0x1A4)]
    [InlineData("0755", "0755", 0x1ED)]
    [InlineData("0000", "0000", 0)]
    [InlineData("000", "0000", 0)]
    [InlineData("0777", "0777", 0x1FF)]
    [InlineData("0600", "0600", 0x180)]
    public void Parse_ValidMode_ReturnsModeAndCanonicalText(string text, string canonical, int bits)
    {
        var error = PermissionBits.Parse(text, out var mode, out var actual);

        Assert.Null(error);
        Assert.Equal((UnixFileMode)bits, mode);
        Assert.Equal(canonical, actual);
    }

    [Theory]
    [InlineData("8")]
    [InlineData("64")]
    [InlineData("0o644")]
    [InlineData("0x1a4")]
    [InlineData("0689")]
    [InlineData("00644")]
    [InlineData("-644")]
    [InlineData(" 644")]
    [InlineData("4755")]
    [InlineData("2755")]
    [InlineData("1777")]
    public void Parse_InvalidMode_ReturnsError(string text)
    {
        var error = PermissionBits.Parse(text, out _, out _);

        Assert.NotNull(error);
        Assert.Contains(text, error, StringComparison.Ordinal);
    }
}
