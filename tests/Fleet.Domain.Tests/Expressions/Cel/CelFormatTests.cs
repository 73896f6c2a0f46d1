using Fleet.Domain.Expressions.Cel;

namespace Fleet.Domain.Tests.Expressions.Cel;

/// <summary><c>string(double)</c> spells numbers as the reference implementation does (Go's shortest %g).</summary>
public sealed class CelFormatTests
{
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-0.0, "-0")]
    [InlineData(1.0, "1")]
    [InlineData(1.5, "1.5")]
    [InlineData(-2.25, "-2.25")]
    [InlineData(123.456, "123.456")]
    [InlineData(100000.0, "100000")]
    [InlineData(123456.0, "123456")]
    [InlineData(1000000.0, "1e+06")]
    [InlineData(1234567.0, "1.234567e+06")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(-0.0045, "-0.0045")]
    [InlineData(1.5e-7, "1.5e-07")]
    [InlineData(1e21, "1e+21")]
    [InlineData(6.02214e23, "6.02214e+23")]
    [InlineData(1e100, "1e+100")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(double.MaxValue, "1.7976931348623157e+308")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void Double_Value_IsSpelledLikeTheReference(double value, string expected) => Assert.Equal(expected, CelFormat.Double(value));

    [Theory]
    [InlineData("1", 1.0)]
    [InlineData("-1.5", -1.5)]
    [InlineData("+2", 2.0)]
    [InlineData(".5", 0.5)]
    [InlineData("1e3", 1000.0)]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("-Infinity", double.NegativeInfinity)]
    public void TryParseDouble_Accepted(string text, double expected)
    {
        Assert.True(CelFormat.TryParseDouble(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1,000")]
    [InlineData("0x10")]
    [InlineData("e5")]
    [InlineData("-")]
    public void TryParseDouble_Refused(string text) => Assert.False(CelFormat.TryParseDouble(text, out _));
}
