using YamlDotNet.Core;

namespace Fleet.Domain.Yaml;

/// <summary>
/// A scalar keeps its text whatever YAML would resolve it to: <c>mode: 644</c> and <c>version: 1.10</c>
/// mean the text as written, which typed YAML loading would turn into 644 (decimal) and 1.1.
/// </summary>
internal sealed class DocScalar : DocNode
{
    public DocScalar(Mark start, Mark end, string value, ScalarStyle style)
        : base(start)
    {
        End = end;
        Value = value;
        Style = style;
    }

    public string Value { get; }

    public ScalarStyle Style { get; }

    /// <summary>An empty or <c>null</c>/<c>~</c> plain scalar: the field is given no value.</summary>
    public bool IsNull => Style == ScalarStyle.Plain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Description => "a string";
}
