namespace Fleet.Domain.Inputs;

/// <summary>A problem in the text of an input declaration, at <see cref="Offset"/> characters into it, so it can be pointed at.</summary>
internal readonly record struct InputError(int Offset, string Message);
