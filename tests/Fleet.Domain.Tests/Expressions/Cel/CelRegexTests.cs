using Fleet.Domain.Expressions.Cel;

namespace Fleet.Domain.Tests.Expressions.Cel;

/// <summary><c>matches</c> reads patterns as RE2 does and refuses what RE2 lacks, on a linear-time engine.</summary>
public sealed class CelRegexTests
{
    public static TheoryData<string, string, bool> Matches => new()
    {
        { "hubba", "ubb", true },
        { "", "", true },
        { "abc", "^abc$", true },
        { "abc\n", "^abc$", false },
        { "abc\ndef", "(?m)^def$", true },
        { "x", "^.$", true },
        { "\U0001F431", "^.$", true },
        { "\n", ".", false },
        { "\n", "(?s).", true },
        { "٣", @"\d", false },
        { "3", @"\d", true },
        { "é", @"\w", false },
        { "_", @"\w", true },
        { "\u00a0", @"\s", false },
        { "\t", @"\s", true },
        { "a", @"[\d\w]", true },
        { "-", @"[\d\w]", false },
        { "]", "[]a]", true },
        { "b", "[^]a]", true },
        { "]", "[^]a]", false },
        { "x", "[[:alpha:]]", true },
        { "1", "[[:alpha:]]", false },
        { "Ab", @"\pL\pL", true },
        { "a.b", @"\Qa.b\E", true },
        { "axb", @"\Qa.b\E", false },
        { "☺", @"\x{263a}", true },
        { "ab", "(?P<x>a)b", true },
        { "ab", "(?<x>a)b", true },
        { "AB", "(?i:ab)", true },
        { "a{2}", "a{2", true },
        { "aa", "a{2}", true },
        { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "(a+)+$", false },
    };

    [Theory]
    [MemberData(nameof(Matches))]
    public void Match_Re2Pattern_AsRe2Reads(string text, string pattern, bool expected)
    {
        var regex = CelRegex.Compile(pattern, CelLimits.Default, out var error);
        Assert.True(regex is not null, error);
        Assert.Equal(expected, CelRegex.IsMatch(regex!, text));
    }

    [Theory]
    [InlineData(@"(a)\1", "backreferences")]
    [InlineData(@"(?<n>a)\k<n>", "backreferences")]
    [InlineData("a(?=b)", "lookahead and lookbehind")]
    [InlineData("a(?!b)", "lookahead and lookbehind")]
    [InlineData("(?<=a)b", "lookahead and lookbehind")]
    [InlineData("(?<!a)b", "lookahead and lookbehind")]
    [InlineData("(?>a)", "atomic groups")]
    [InlineData("(?(a)b|c)", "atomic groups, conditionals")]
    [InlineData("(?#note)a", "comments")]
    [InlineData("(?P=n)", "named backreferences")]
    [InlineData("(?U)a*", "flag U")]
    [InlineData("(?x)a", "unknown flag 'x'")]
    [InlineData("a{1001}", "repetition count {1001} is larger than 1000")]
    [InlineData("a{2,5000}", "repetition count {2,5000}")]
    [InlineData(@"\C", @"\C (any byte)")]
    [InlineData("[[:nope:]]", "unknown character class")]
    [InlineData("(", "Not enough )'s")]
    [InlineData("a**", "Nested quantifier")]
    [InlineData(@"a\", "trailing backslash")]
    public void Compile_WhatRe2Lacks_IsRefused(string pattern, string reason)
    {
        Assert.Null(CelRegex.Compile(pattern, CelLimits.Default, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_SamePattern_IsCompiledOnce()
    {
        var first = CelRegex.Compile("^cache-me-[0-9]+$", CelLimits.Default, out _);
        Assert.Same(first, CelRegex.Compile("^cache-me-[0-9]+$", CelLimits.Default, out _));
    }

    [Fact]
    public void Match_NearMissOfANestedLoop_TakesLinearTime()
    {
        // A backtracking engine takes exponential time here; RE2 semantics and this engine take linear time.
        var regex = CelRegex.Compile("^(a|aa)*(a+)+c$", CelLimits.Default, out var error);
        Assert.True(regex is not null, error);
        var started = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(false, CelRegex.IsMatch(regex!, new string('a', 20_000) + "b"));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }

    [Fact]
    public void Compile_AutomatonTooLarge_IsRefusedNotSlow()
    {
        Assert.Null(CelRegex.Compile("^((a{1,100}){1,100})b$", CelLimits.Default, out var error));
        Assert.StartsWith("invalid regular expression '^((a{1,100}){1,100})b$'", error, StringComparison.Ordinal);
    }
}
