using Fleet.Hub.Security;
using Grpc.Core;

namespace Fleet.Hub.Dashboard.Auth;

/// <summary>
/// Who a dashboard request is from, as <see cref="SessionGate"/> established it. What the role may do decides which
/// forms a page shows; what it may really do is decided by the admin API, which gets the session's token in the
/// call's metadata exactly as the CLI sends it.
/// </summary>
internal sealed record DashboardUser(DashboardSession Session, string Who, FleetRole? Role, bool Insecure)
{
    public string Csrf => Session.Csrf;

    /// <summary>Approve, Pause, Resume, Abort: the admin API's operator calls.</summary>
    public bool MayOperate => Insecure || (Role is { } role && FleetRoles.Allows(role, MethodAccess.Operator));

    /// <summary>The audit log is an admin's read (it names every token and target).</summary>
    public bool MayReadAudit => Insecure || (Role is { } role && FleetRoles.Allows(role, MethodAccess.Admin));

    public string RoleName => Insecure ? "insecure" : Role is { } role ? FleetRoles.Name(role) : "none";

    /// <summary>The bearer token of every admin call this request makes; none on an --insecure hub.</summary>
    public Metadata? Headers => Insecure ? null : new Metadata { { "authorization", $"Bearer {Session.Token}" } };

    public static DashboardUser Of(HttpContext context) =>
        context.Features.Get<DashboardUser>() ?? throw new InvalidOperationException("the dashboard's session gate did not run for this request");
}
