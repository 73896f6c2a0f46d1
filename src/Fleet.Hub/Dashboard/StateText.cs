namespace Fleet.Hub.Dashboard;

/// <summary>
/// The one place the dashboard turns the admin API's state and phase values into text and a look: the admin
/// messages are about to carry enums instead of strings, and then only this file changes.
/// </summary>
internal static class StateText
{
    /// <summary>The CSS class that makes failures and drift stand out, and successes calm.</summary>
    public static string Tone(string state) => state switch
    {
        "Failed" or "Drifted" or "Aborted" or "RolledBack" => "bad",
        "Ready" or "Succeeded" => "good",
        "Skipped" or "Superseded" => "muted",
        "" => "",
        _ => "busy",
    };

    public static string Text(string state) => state.Length == 0 ? "-" : state;

    /// <summary>A rollout target that needs nothing more: updated, or skipped.</summary>
    public static bool IsDone(string state) => state is "Succeeded" or "Skipped";

    public static bool IsBad(string state) => Tone(state) == "bad";
}
