using System.Globalization;

namespace Fleet.Agent.Drivers.Exec;

/// <summary>
/// Tells whether a process recorded earlier is still the same running process: a pid alone may have been reused by
/// now, so it is paired with the process's start time (clock ticks since boot, field 22 of /proc/PID/stat). Linux
/// only; where /proc is not there, nothing counts as still running.
/// </summary>
internal static class RunningProcess
{
    /// <summary>The start time of process <paramref name="pid"/>, or null when it is gone, a zombie, or unknowable here.</summary>
    public static long? StartTime(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces or ')': fields are counted after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 19 && fields[0] != "Z" && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            ? start
            : null;
    }

    /// <summary>Whether <paramref name="pid"/> is still the process that started at <paramref name="startTime"/>.</summary>
    public static bool IsAlive(int pid, long startTime) => StartTime(pid) == startTime;
}
