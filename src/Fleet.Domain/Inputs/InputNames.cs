namespace Fleet.Domain.Inputs;

/// <summary>
/// Input names are read in expressions as <c>inputs.&lt;name&gt;</c>, so each must be a CEL identifier that CEL does
/// not reserve: otherwise the capability could declare an input no template can reach.
/// </summary>
internal static class InputNames
{
    public const int MaxLength = 63;

    public const string Rule = "letters, digits and '_', not starting with a digit, at most 63 characters and not a CEL reserved word (it is read as inputs.<name>)";

    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import",
        "let", "loop", "package", "namespace", "return", "var", "void", "while",
    };

    public static bool IsValid(string name) => name.Length <= MaxLength && IsPlain(name) && !Reserved.Contains(name);

    /// <summary>Whether <paramref name="name"/> has the shape of a CEL identifier: <c>[A-Za-z_][A-Za-z0-9_]*</c>.</summary>
    public static bool IsPlain(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
