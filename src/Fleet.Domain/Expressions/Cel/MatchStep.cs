using System.Text.RegularExpressions;

namespace Fleet.Domain.Expressions.Cel;

/// <summary><c>s.matches('literal pattern')</c>: the pattern is compiled (and checked) once, with the program.</summary>
internal sealed class MatchStep(int offset, Step text, Regex regex) : Step(offset)
{
    protected override object? Eval(CelFrame frame)
    {
        var value = text.Evaluate(frame);
        if (value is CelError)
        {
            return value;
        }

        if (value is not string s)
        {
            return Error($"no matching overload for 'matches' applied to ({CelValues.TypeName(value)}, string)");
        }

        frame.Charge(s.Length / 16, Offset);
        var result = CelRegex.IsMatch(regex, s);
        return result is CelError error ? error.At(Offset) : result;
    }
}
