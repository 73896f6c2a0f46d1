using System.Globalization;

namespace Fleet.Benchmarks;

/// <summary>CPU time and bytes written by a process, from /proc (Linux); zeros where they cannot be read.</summary>
internal readonly record struct ProcessCounters(TimeSpan Cpu, long WrittenBytes)
{
    public static ProcessCounters Of(int pid, TimeSpan cpu)
    {
        var written = 0L;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/io"))
            {
                if (line.StartsWith("wchar:", StringComparison.Ordinal))
                {
                    written = long.Parse(line["wchar:".Length..].Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or not ours to read: the figure stays out.
        }

        return new ProcessCounters(cpu, written);
    }
}
