using System.Globalization;
using System.Runtime.InteropServices;

namespace Fleet.Benchmarks;

/// <summary>
/// What the figures say about the machine they were taken on. The machine is shared, so every mode records how busy
/// it was before and after; Linux gives the most, elsewhere a figure falls back rather than fails the run.
/// </summary>
internal static class HostMachine
{
    /// <summary>The first <c>model name</c> of /proc/cpuinfo (Linux), or what .NET knows.</summary>
    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null && line.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
            {
                return line[(colon + 1)..].Trim();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux: fall through.
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>The 1-minute load average from /proc/loadavg; NaN where there is none.</summary>
    public static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return double.NaN;
        }
    }
}
