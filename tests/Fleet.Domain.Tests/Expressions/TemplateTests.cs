using Fleet.Domain.Expressions;
using Fleet.Domain.Rendering;

namespace Fleet.Domain.Tests.Expressions;

public sealed class TemplateTests
{
    private static readonly IExpressionEngine Engine = TemplateEnvironment.Engine;

    private static Template Parse(string text)
    {
        var result = Template.Parse(text, Engine);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        return result.Template!;
    }

    public static TheoryData<string, object?> Typed => new()
    {
        { "${n}", 3L },
        { "${yes}", true },
        { "${nothing}", null },
        { "${target.name}", "a1" },
        { "${target.name == 'a1'}", true },
        { "${\"{\" == '{'}", true },
        { "${target.labels.env == 'dev'}", true },
        { "${7u}", 7UL },
        { "${n * 2 + 1}", 7L },
        { "${d / 2.0}", 1.5 },
        { "${size(items)}", 3L },
    };

    [Theory]
    [MemberData(nameof(Typed))]
    public void Render_SingleExpression_KeepsType(string text, object? expected)
    {
        var template = Parse(text);
        Assert.True(template.IsSingleExpression);
        Assert.Equal(expected, template.Render(Vars.Target()));
    }

    [Fact]
    public void Render_SingleExpressionList_ReturnsTheList()
    {
        var value = Parse("${items}").Render(Vars.Target());
        Assert.Equal(new object?[] { "x", 2L, true }, Assert.IsAssignableFrom<IReadOnlyList<object?>>(value));
    }

    [Theory]
    [InlineData("hello ${target.name}!", "hello a1!")]
    [InlineData("${target.name}-${target.labels.env}", "a1-dev")]
    [InlineData("n=${n} d=${d} yes=${yes} no=${no} nothing=[${nothing}]", "n=3 d=3 yes=true no=false nothing=[]")]
    [InlineData("items=${items}", "items=[\"x\",2,true]")]
    [InlineData("facts=${target.facts}", "facts={\"os\":\"linux\"}")]
    [InlineData("no expressions", "no expressions")]
    [InlineData("", "")]
    [InlineData("cost: $5 and $ {x}", "cost: $5 and $ {x}")]
    [InlineData("literal $${target.name}", "literal ${target.name}")]
    [InlineData("$${a} and ${target.name}", "${a} and a1")]
    [InlineData("${'}'}", "}")]
    [InlineData("${'a\\'}'}", "a'}")]
    [InlineData(" ${n}", " 3")]
    [InlineData("${r'\\'}x", "\\x")]
    [InlineData("${'''a}'b'''}", "a}'b")]
    [InlineData("${{'k': '}'}.k}", "}")]
    [InlineData("${7u} ${2.5} ${1e6} ${b'hi'} ${int}", "7 2.5 1e+06 hi int")]
    [InlineData("types=${items.map(x, type(x))}", "types=[\"string\",\"int\",\"bool\"]")]
    public void Render_Mixed_SplicesText(string text, string expected)
    {
        var template = Parse(text);
        Assert.Equal(expected, Assert.IsType<string>(template.Render(Vars.Target())));
        Assert.Equal(expected, template.RenderString(Vars.Target()));
    }

    [Fact]
    public void Render_DoubleInText_UsesInvariantCulture()
    {
        var variables = new Dictionary<string, object?> { ["x"] = 1.5 };
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        Assert.Equal("v1.5", Parse("v${x}").Render(variables));
        Assert.Equal(previous, System.Globalization.CultureInfo.CurrentCulture);
    }

    [Theory]
    [InlineData("plain", false, false)]
    [InlineData("${a}", true, true)]
    [InlineData("x${a}", false, true)]
    [InlineData("${a}${b}", false, true)]
    [InlineData("$${a}", false, false)]
    public void Shape_Text_IsReported(string text, bool single, bool hasExpressions)
    {
        var template = Parse(text);
        Assert.Equal(single, template.IsSingleExpression);
        Assert.Equal(hasExpressions, template.HasExpressions);
    }

    [Fact]
    public void RootVariables_SeveralExpressions_AreUnited()
    {
        var template = Parse("${target.name}/${capability.name}/${target.driver}");
        Assert.Equal(["capability", "target"], template.RootVariables.Order(StringComparer.Ordinal));
        Assert.Equal([0, 15, 34], template.Expressions.Select(e => e.Offset));
    }

    [Theory]
    [InlineData("abc ${target.name", 4, "unterminated '${'")]
    [InlineData("${", 0, "unterminated '${'")]
    [InlineData("${'}", 0, "unterminated '${'")]
    [InlineData("xx${target.name +}", 17, "expression error at position 13 of '${target.name +}': unexpected end of expression")]
    [InlineData("${}", 2, "expression error at position 0 of '${}'")]
    public void Parse_Error_ReportsOffsetIntoWholeString(string text, int offset, string message)
    {
        var result = Template.Parse(text, Engine);
        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal(offset, error.Offset);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralBadExpressions_ReportsEach()
    {
        var result = Template.Parse("${a +} and ${b =}", Engine);
        Assert.Equal([5, 15], result.Errors.Select(e => e.Offset));
    }

    [Fact]
    public void Render_EvaluationError_OffsetIsIntoTemplate()
    {
        var error = Assert.Throws<ExpressionException>(() => Parse("tier: ${target.labels.tier}").Render(Vars.Target()));
        Assert.StartsWith("no such key: tier", error.Message, StringComparison.Ordinal);
        Assert.Contains("${target.labels.tier}", error.Message, StringComparison.Ordinal);
        Assert.Equal(8 + 14, error.Offset);
    }

    [Fact]
    public void WithPlaceholders_ReplacesExpressionsOnly()
    {
        Assert.Equal("etc/x/$${/x.conf", Parse("etc/${target.name}/$$${/${n}.conf").WithPlaceholders("x"));
    }
}
