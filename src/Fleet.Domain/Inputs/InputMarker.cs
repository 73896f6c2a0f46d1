namespace Fleet.Domain.Inputs;

/// <summary>One <c>key=value</c> after the <c>|</c> of a declaration, with where its key and its value start in the text.</summary>
internal readonly record struct InputMarker(string Key, int KeyOffset, string Value, int ValueOffset);
