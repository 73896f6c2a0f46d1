namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// A limit of <see cref="CelLimits"/> was reached. Unlike <see cref="CelError"/> it is thrown, because
/// nothing may absorb it: <c>(expensive) || true</c> must still stop.
/// </summary>
internal sealed class CelLimitException(string message, int offset) : Exception(message)
{
    public int Offset { get; } = offset;
}
