namespace Fleet.Hub.Security;

/// <summary>
/// What a token allows. <see cref="Viewer"/> &lt; <see cref="Operator"/> &lt; <see cref="Admin"/> each include
/// the one before; <see cref="Agent"/> stands apart: it only enrolls one target, once.
/// </summary>
internal enum FleetRole
{
    Agent,
    Viewer,
    Operator,
    Admin,
}
