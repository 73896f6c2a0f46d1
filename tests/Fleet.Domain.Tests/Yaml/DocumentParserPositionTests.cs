using Fleet.Domain.Expressions;
using Fleet.Domain.Rendering;
using Fleet.Domain.Yaml;

namespace Fleet.Domain.Tests.Yaml;

public sealed class DocumentParserPositionTests
{
    private static readonly IExpressionEngine Engine = TemplateEnvironment.Engine;

    private static string Capability(string name, string extra = "") =>
        $"apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata:\n  name: {name}\nspec:\n  resources:\n    - id: a\n      file: {{ path: a }}\n{extra}";

    [Fact]
    public void ParseAll_MultiDocument_GivesEachItsLineAndText()
    {
        var text = "# leading comment\n---\n" + Capability("one") + "---\n" + Capability("two") + "---\n# only a comment\n---\n\n" + Capability("Three");
        var documents = DocumentParser.ParseAll(text, "multi.yaml", Engine);
        Assert.Equal(["one", "two", "Three"], documents.Select(d => d.Name));
        Assert.Equal([1, 11, 22], documents.Select(d => d.Line));
        Assert.True(documents[0].IsValid);
        Assert.True(documents[1].IsValid);
        var error = Assert.Single(documents[2].Errors);
        Assert.Equal(("multi.yaml", 27, 9, "metadata.name"), (error.Source, error.Line, error.Column, error.Field));
        Assert.Equal(text, string.Concat(documents.Select(d => d.Text)).Insert(documents[0].Text.Length + documents[1].Text.Length, "---\n# only a comment\n"));
    }

    [Fact]
    public void ParseOne_DocumentText_GivesIdenticalPositions()
    {
        var text = Capability("good") + "---\n" + Capability("Bad", "  rollout: { trigger: x }\n");
        var documents = DocumentParser.ParseAll(text, "f.yaml", Engine);
        foreach (var document in documents)
        {
            var again = DocumentParser.ParseOne(document.Text, document.Source, document.Line, Engine);
            Assert.Equal(document.Errors, again.Errors);
            Assert.Equal(document.Line, again.Line);
            Assert.Equal(document.Name, again.Name);
        }

        Assert.Equal([13, 18], documents[1].Errors.Select(e => e.Line));
    }

    [Fact]
    public void ParseAll_SyntaxErrorInOneDocument_StillChecksTheOthers()
    {
        var text = Capability("one") + "---\nmetadata: [unclosed\n---\n" + Capability("three");
        var documents = DocumentParser.ParseAll(text, "s.yaml", Engine);
        Assert.Equal(3, documents.Count);
        Assert.True(documents[0].IsValid);
        Assert.True(documents[2].IsValid);
        var error = Assert.Single(documents[1].Errors);
        Assert.Null(documents[1].Capability);
        Assert.Equal(11, error.Line);
        Assert.StartsWith("invalid YAML: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseAll_SyntaxError_HasPosition()
    {
        var error = Assert.Single(Assert.Single(DocumentParser.ParseAll("a: 1\nb: c: d\n", "x.yaml", Engine)).Errors);
        Assert.Equal((2, 5), (error.Line, error.Column));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# nothing\n")]
    [InlineData("---\n---\n...\n")]
    [InlineData("---\n~\n")]
    public void ParseAll_EmptyDocuments_AreSkipped(string text) => Assert.Empty(DocumentParser.ParseAll(text, "e.yaml", Engine));

    [Fact]
    public void ParseOne_Empty_IsAnError()
    {
        var document = DocumentParser.ParseOne("# nothing\n", "e.yaml", 5, Engine);
        Assert.False(document.IsValid);
        Assert.Equal(5, Assert.Single(document.Errors).Line);
    }

    [Fact]
    public void ParseOne_TwoDocuments_IsAnError()
    {
        var document = DocumentParser.ParseOne(Capability("a") + "---\n" + Capability("b"), "two.yaml", 1, Engine);
        var error = Assert.Single(document.Errors);
        Assert.Equal(9, error.Line);
        Assert.Contains("single YAML document", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseAll_DocumentEndMarker_StartsTheNextDocument()
    {
        var documents = DocumentParser.ParseAll(Capability("a") + "...\n" + Capability("b"), "d.yaml", Engine);
        Assert.Equal([1, 10], documents.Select(d => d.Line));
        Assert.All(documents, d => Assert.True(d.IsValid, string.Join("\n", d.Errors)));
    }

    [Fact]
    public void ParseAll_CrLfLineEndings_KeepPositions()
    {
        var text = (Capability("one") + "---\n" + Capability("Two")).Replace("\n", "\r\n", StringComparison.Ordinal);
        var documents = DocumentParser.ParseAll(text, "crlf.yaml", Engine);
        Assert.Equal([1, 9], documents.Select(d => d.Line));
        Assert.Equal((13, 9), (documents[1].Errors[0].Line, documents[1].Errors[0].Column));
    }

    public static TheoryData<string, int, int> ExpressionPositions => new()
    {
        // content line as written, expected line and column of the error (content starts on line 9)
        { "        content: x ${target.name +}", 9, 35 },
        { "        content: 'it''s ${target.name +}'", 9, 40 },
        { "        content: \"a\\tb\\u00e9 ${target.name +}\"", 9, 45 },
        { "        content: |\n          first line\n          second ${target.name +}", 11, 33 },
        { "        content: |-\n\n          after a blank ${target.name +}", 11, 40 },
        { "        content: >\n          folded\n          ${target.name +}", 9, 18 },
        { "        content: \"two\n          lines ${target.name +}\"", 9, 18 },
        { "        content: x ${target.name} ${foo.bar}", 9, 35 },
    };

    [Theory]
    [MemberData(nameof(ExpressionPositions))]
    public void ParseAll_ExpressionError_PointsAtTheCharacter(string contentLines, int line, int column)
    {
        var yaml = "apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: x }\nspec:\n  resources:\n    - id: a\n      file:\n        path: a\n" + contentLines + "\n";
        var error = Assert.Single(Assert.Single(DocumentParser.ParseAll(yaml, "p.yaml", Engine)).Errors);
        Assert.Equal("spec.resources[0].file.content", error.Field);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Fact]
    public void ParseAll_ExpressionErrorInLaterDocument_UsesFileLines()
    {
        var text = Capability("one") + "---\n" + Capability("two").Replace("path: a", "path: \"${target.name +}\"", StringComparison.Ordinal);
        var document = DocumentParser.ParseAll(text, "later.yaml", Engine)[1];
        var error = Assert.Single(document.Errors);
        Assert.Equal((17, 37), (error.Line, error.Column));
    }

    [Theory]
    [InlineData("a: b\0c\n", 1, 5, "U+0000")]
    [InlineData("a: 1\nb: \u0007\n", 2, 4, "U+0007")]
    public void ParseAll_UnprintableCharacter_IsReportedWhereItIs(string text, int line, int column, string message)
    {
        var error = Assert.Single(Assert.Single(DocumentParser.ParseAll(text, "c.yaml", Engine)).Errors);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseAll_LoneSurrogate_IsReportedWhereItIs()
    {
        // Built at run time: attribute arguments cannot carry a lone surrogate.
        var text = "a: 1\nb: x" + (char)0xD800 + "\n";
        var error = Assert.Single(Assert.Single(DocumentParser.ParseAll(text, "c.yaml", Engine)).Errors);
        Assert.Equal((2, 5), (error.Line, error.Column));
        Assert.Contains("U+D800", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(": [\ns")]          // YamlDotNet's scanner throws InvalidOperationException on this one
    [InlineData("a: \"\\ud800\"")]  // an escape that names half a surrogate pair
    [InlineData("a: b: c")]
    public void ParseAll_MalformedYaml_IsADiagnosticNotAnException(string text)
    {
        var document = Assert.Single(DocumentParser.ParseAll(text, "m.yaml", Engine));
        Assert.Null(document.Capability);
        Assert.StartsWith("invalid YAML: ", Assert.Single(document.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseAll_EscapesOfAReversedSurrogatePair_IsReportedAtTheEscape()
    {
        // YamlDotNet's scanner throws ArgumentOutOfRangeException on this one.
        var error = Assert.Single(Assert.Single(DocumentParser.ParseAll("a: 1\nb: \"x\\uDC00\\uD800\"\n", "r.yaml", Engine)).Errors);

        Assert.Equal((2, 6), (error.Line, error.Column));
        Assert.Equal("invalid YAML: \\uDC00 is an unpaired surrogate, not a character", error.Message);
    }

    [Fact]
    public void ParseAll_EscapedControlCharacterInContent_IsKept()
    {
        var yaml = "apiVersion: fleet/v1alpha1\nkind: Capability\nmetadata: { name: x }\nspec:\n  resources:\n    - id: a\n      file: { path: a, content: \"\\e[1mbold\\0\" }\n";
        var document = Assert.Single(DocumentParser.ParseAll(yaml, "e.yaml", Engine));
        Assert.True(document.IsValid, string.Join("\n", document.Errors));
        Assert.Equal("\u001b[1mbold\0", document.Capability!.Resources[0].File!.Content);
    }
}
