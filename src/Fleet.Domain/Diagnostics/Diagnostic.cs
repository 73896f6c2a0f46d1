namespace Fleet.Domain.Diagnostics;

/// <summary>One problem found in user input, with where it is: <c>FILE:LINE:COLUMN</c> and the field.</summary>
public sealed record Diagnostic(string Source, int Line, int Column, string Field, string Message)
{
    public override string ToString() =>
        string.IsNullOrEmpty(Field) ? $"{Source}:{Line}:{Column}: {Message}" : $"{Source}:{Line}:{Column}: {Field}: {Message}";
}
