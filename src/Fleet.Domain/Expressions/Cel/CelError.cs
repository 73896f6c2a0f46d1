namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// An evaluation error as a value. CEL lets <c>&amp;&amp;</c>, <c>||</c> and the <c>all</c>/<c>exists</c>
/// macros absorb errors, so errors travel as values rather than exceptions: absorbing one is then as cheap
/// as any other value. <see cref="Offset"/> is -1 until the step that produced it stamps its own position.
/// </summary>
internal sealed class CelError(string message, int offset = -1)
{
    public string Message { get; } = message;

    public int Offset { get; } = offset;

    public CelError At(int offset) => Offset >= 0 ? this : new CelError(Message, offset);
}
