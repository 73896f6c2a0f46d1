using Fleet.Domain.Expressions;
using Fleet.Domain.Rendering;
using Fleet.Domain.Yaml;

namespace Fleet.Domain.Tests.Yaml;

/// <summary>Every document under examples/ is valid: users copy them.</summary>
public sealed class ExamplesTests
{
    public static TheoryData<string> Files()
    {
        var directory = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(directory, "Fleet.sln")))
        {
            directory = Path.GetDirectoryName(directory) ?? throw new InvalidOperationException("Fleet.sln not found above the test binaries");
        }

        return [.. Directory.EnumerateFiles(Path.Combine(directory, "examples"), "*.yaml").Order(StringComparer.Ordinal)];
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Example_Parses_WithoutErrors(string path)
    {
        var documents = DocumentParser.ParseAll(File.ReadAllText(path), Path.GetFileName(path), TemplateEnvironment.Engine);
        Assert.NotEmpty(documents);
        Assert.All(documents, d => Assert.True(d.IsValid, string.Join("\n", d.Errors)));
    }
}
