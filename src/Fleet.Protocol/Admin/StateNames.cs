using Fleet.Protocol.Admin.V1;

namespace Fleet.Protocol.Admin;

/// <summary>
/// The names SPEC §5 gives the wire's states and phases, the only place they are spelled: JSON, YAML, tables
/// and messages all print these. Spelled out, not the enums' C# names, so a renamed enum value cannot change
/// what scripts read. UNSPECIFIED (nothing there, or a value from a newer hub) prints as empty.
/// </summary>
public static class StateNames
{
    public static string Of(TargetCapabilityState state) => state switch
    {
        TargetCapabilityState.Pending => "Pending",
        TargetCapabilityState.Applying => "Applying",
        TargetCapabilityState.Ready => "Ready",
        TargetCapabilityState.Failed => "Failed",
        TargetCapabilityState.Drifted => "Drifted",
        TargetCapabilityState.Removing => "Removing",
        _ => "",
    };

    public static string Of(RolloutPhase phase) => phase switch
    {
        RolloutPhase.Pending => "Pending",
        RolloutPhase.Running => "Running",
        RolloutPhase.WaitingApproval => "WaitingApproval",
        RolloutPhase.WaitingWindow => "WaitingWindow",
        RolloutPhase.WaitingGate => "WaitingGate",
        RolloutPhase.Paused => "Paused",
        RolloutPhase.Succeeded => "Succeeded",
        RolloutPhase.Failed => "Failed",
        RolloutPhase.Aborted => "Aborted",
        RolloutPhase.RolledBack => "RolledBack",
        RolloutPhase.Superseded => "Superseded",
        _ => "",
    };

    public static string Of(RolloutTargetState state) => state switch
    {
        RolloutTargetState.Pending => "Pending",
        RolloutTargetState.InProgress => "InProgress",
        RolloutTargetState.Succeeded => "Succeeded",
        RolloutTargetState.Failed => "Failed",
        RolloutTargetState.Skipped => "Skipped",
        _ => "",
    };
}
