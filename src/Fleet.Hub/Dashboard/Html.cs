using System.Text;
using System.Text.Encodings.Web;

namespace Fleet.Hub.Dashboard;

/// <summary>A page being written: every value goes through <see cref="Text"/>, so nothing the hub stores is markup.</summary>
internal sealed class Html
{
    private readonly StringBuilder _out = new();

    public Html Raw(string markup)
    {
        _out.Append(markup);
        return this;
    }

    public Html Text(string? value)
    {
        _out.Append(HtmlEncoder.Default.Encode(value ?? ""));
        return this;
    }

    public override string ToString() => _out.ToString();

    public static string Encode(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    public static string Query(string value) => UrlEncoder.Default.Encode(value);
}
