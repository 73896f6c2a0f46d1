using Fleet.Domain.Rendering;
using Fleet.Domain.Yaml;

namespace Fleet.Domain.Tests.Yaml;

/// <summary>
/// What <c>fleet apply</c> refuses in <c>${...}</c> before anything is stored: syntax, unknown variables and
/// fields, type errors, a <c>when</c> that is not a bool; each at the line and column where it can be known.
/// </summary>
public sealed class ExpressionValidationTests
{
    private static string Document(string when, string content) =>
        "apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: x }\nspec:\n  placement:\n    when: " + when
        + "\n  resources:\n    - id: a\n      file:\n        path: a\n        content: " + content + "\n";

    public static TheoryData<string, string, string, int, int, string> Errors => new()
    {
        // when, content, field, line, column, message (start)
        { "${true}", "\"${target.name +}\"", "spec.resources[0].file.content", 11, 34, "expression error at position 13 of '${target.name +}': unexpected end of expression" },
        { "${true}", "\"${target.nmae}\"", "spec.resources[0].file.content", 11, 28, "expression error at position 7 of '${target.nmae}': undefined field 'nmae'" },
        { "${true}", "\"n=${target.name + 1}\"", "spec.resources[0].file.content", 11, 35, "expression error at position 12 of '${target.name + 1}': no matching overload for '+' applied to (string, int)" },
        { "${true}", "\"${'a' ~ 'b'}\"", "spec.resources[0].file.content", 11, 25, "expression error at position 4 of '${'a' ~ 'b'}': unexpected character '~'" },
        { "${true}", "\"${[1].all(x, x)}\"", "spec.resources[0].file.content", 11, 32, "expression error at position 11 of '${[1].all(x, x)}': the condition of all() must be a bool, not int" },
        { "${true}", "\"${inputs.x}\"", "spec.resources[0].file.content", 11, 19, "unknown variable 'inputs' in '${inputs.x}'" },
        { "${target.name}", "ok", "spec.placement.when", 6, 11, "when must give a bool, but '${target.name}' gives string" },
        { "${size(target.labels)}", "ok", "spec.placement.when", 6, 11, "when must give a bool, but '${size(target.labels)}' gives int" },
        { "${target.labels.ring == 'canary' && target.facts.os}", "ok", "spec.placement.when", 6, 44, "expression error at position 31 of '${target.labels.ring == 'canary' && target.facts.os}': the right operand of '&&' must be a bool, not string" },
        { "${capability.name == 'x'}", "ok", "spec.placement.when", 6, 11, "unknown variable 'capability'" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void ParseAll_BadExpression_IsReportedWhereItIs(string when, string content, string field, int line, int column, string message)
    {
        var document = Assert.Single(DocumentParser.ParseAll(Document(when, content), "cel.yaml", TemplateEnvironment.Engine));
        var error = Assert.Single(document.Errors);
        Assert.Equal((field, line, column), (error.Field, error.Line, error.Column));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Null(document.Capability);
    }

    [Theory]
    [InlineData("${target.labels.ring == 'canary'}", "\"${target.name}-${capability.revision}\"")]
    [InlineData("\"${target.labels.tier != \\\"legacy\\\" && 'x' in ['x']}\"", "\"${size(target.labels) > 0 ? 'some' : 'none'}\"")]
    [InlineData("${dyn(target.labels.ready)}", "\"${{'a': [1, 2u, 3.0]}}\"")]
    [InlineData("${target.labels.all(k, k.matches('^[a-z]+$'))}", "\"${r'{}'} ${'''it's'''}\"")]
    public void ParseAll_ValidCel_IsAccepted(string when, string content)
    {
        var document = Assert.Single(DocumentParser.ParseAll(Document(when, content), "cel.yaml", TemplateEnvironment.Engine));
        Assert.True(document.IsValid, string.Join("\n", document.Errors));
    }
}
