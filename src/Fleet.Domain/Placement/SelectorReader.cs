namespace Fleet.Domain.Placement;

/// <summary>A cursor over selector text for <see cref="LabelSelectorParser"/>; errors carry the position.</summary>
internal sealed class SelectorReader(string text)
{
    public int Position { get; private set; }

    public bool AtEnd => Position >= text.Length;

    public char Peek => AtEnd ? '\0' : text[Position];

    public void SkipSpaces()
    {
        while (!AtEnd && char.IsWhiteSpace(text[Position]))
        {
            Position++;
        }
    }

    public bool TryConsume(char c)
    {
        if (Peek != c)
        {
            return false;
        }

        Position++;
        return true;
    }

    public bool TryConsume(string s)
    {
        if (string.CompareOrdinal(text, Position, s, 0, s.Length) != 0)
        {
            return false;
        }

        Position += s.Length;
        return true;
    }

    /// <summary>Reads the characters that may form a label key or value.</summary>
    public string ReadWord()
    {
        var start = Position;
        while (!AtEnd && (char.IsAsciiLetterOrDigit(text[Position]) || text[Position] is '-' or '_' or '.' or '/'))
        {
            Position++;
        }

        return text[start..Position];
    }

    public FormatException Error(string message, int? at = null) =>
        new($"invalid selector '{text}' at position {at ?? Position}: {message}");
}
