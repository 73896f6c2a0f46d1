namespace Fleet.Domain.Expressions.Cel;

/// <summary>A variable of the evaluation; unbound, it is an error (which <c>||</c> and friends may absorb).</summary>
internal sealed class GlobalStep(int offset, string name) : Step(offset)
{
    public string Name { get; } = name;

    protected override object? Eval(CelFrame frame) =>
        frame.Variables.TryGetValue(Name, out var value) ? CelValues.Normalize(value) : Error($"unknown variable '{Name}'");
}
