namespace Fleet.Domain.Expressions.Cel;

/// <summary>
/// The body of an overload: arguments already evaluated (never errors) and of the kinds the overload
/// declares. Returns a value or a <see cref="CelError"/>; may charge the frame for work proportional to size.
/// </summary>
internal delegate object? CelFunction(object?[] args, CelFrame frame);
