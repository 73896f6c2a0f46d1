namespace Fleet.Hub.Security;

internal static class FleetRoles
{
    public static readonly string[] Names = ["agent", "viewer", "operator", "admin"];

    public static bool TryParse(string? text, out FleetRole role)
    {
        switch (text)
        {
            case "agent":
                role = FleetRole.Agent;
                return true;
            case "viewer":
                role = FleetRole.Viewer;
                return true;
            case "operator":
                role = FleetRole.Operator;
                return true;
            case "admin":
                role = FleetRole.Admin;
                return true;
            default:
                role = default;
                return false;
        }
    }

    public static string Name(FleetRole role) => role switch
    {
        FleetRole.Agent => "agent",
        FleetRole.Viewer => "viewer",
        FleetRole.Operator => "operator",
        _ => "admin",
    };

    /// <summary>Whether an operator role is enough for a method that needs <paramref name="access"/>.</summary>
    public static bool Allows(FleetRole role, MethodAccess access) => access switch
    {
        MethodAccess.Anonymous => true,
        MethodAccess.Viewer => role is FleetRole.Viewer or FleetRole.Operator or FleetRole.Admin,
        MethodAccess.Operator => role is FleetRole.Operator or FleetRole.Admin,
        MethodAccess.Admin => role is FleetRole.Admin,
        // Agents authenticate with their certificate, never with a token.
        _ => false,
    };
}
