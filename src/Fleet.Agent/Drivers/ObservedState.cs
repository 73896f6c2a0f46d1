using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Drivers;

/// <summary>
/// The observed state a resource report carries (<c>observed_json</c>): what the hub's <c>${resources.&lt;id&gt;...}</c>
/// expressions read. Bounded, because every report travels in one gRPC message that the hub refuses above 4 MiB, and a
/// refused report would be resent, and refused, on every reconnect: over a bound the state is left out and the
/// resource's message says so, which the hub can show, rather than the whole report being lost.
/// </summary>
internal static class ObservedState
{
    /// <summary>Most a single resource's observed JSON may take (UTF-8 bytes).</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>Most all observed JSON of one capability report may take together.</summary>
    public const int MaxReportBytes = 1024 * 1024;

    /// <summary>Most all observed JSON of a hello's current reports may take together, leaving room for the rest of it.</summary>
    public const int MaxHelloBytes = 2 * 1024 * 1024;

    // JSON for a program, not a web page: escaping every non-ASCII character and '<' would only inflate it.
    private static readonly JsonSerializerOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Puts <paramref name="observed"/> on <paramref name="report"/>, or a note in its message when it is too large.</summary>
    public static ResourceReport Attach(ResourceReport report, JsonNode observed)
    {
        var json = observed.ToJsonString(s_json);
        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > MaxBytes)
        {
            report.ObservedJson = "";
            Note(report, $"observed state omitted: {bytes} bytes, more than the {MaxBytes} a resource report carries");
        }
        else
        {
            report.ObservedJson = json;
        }

        return report;
    }

    /// <summary>Keeps the observed state of one capability report within <see cref="MaxReportBytes"/>.</summary>
    public static void Fit(CapabilityReport report) => Fit([report], MaxReportBytes);

    /// <summary>
    /// Keeps the observed state of <paramref name="reports"/> together within <paramref name="budget"/> bytes: resources
    /// keep theirs in order until the budget is spent, those after lose it, with a note.
    /// </summary>
    public static void Fit(IEnumerable<CapabilityReport> reports, int budget)
    {
        long used = 0;
        foreach (var resource in reports.SelectMany(r => r.Resources).Where(r => r.ObservedJson.Length > 0))
        {
            var bytes = Encoding.UTF8.GetByteCount(resource.ObservedJson);
            if (used + bytes > budget)
            {
                resource.ObservedJson = "";
                Note(resource, $"observed state omitted: the {budget} bytes one message carries for it are used up by other resources");
                continue;
            }

            used += bytes;
        }
    }

    private static void Note(ResourceReport report, string note) =>
        report.Message = report.Message.Length == 0 ? note : $"{report.Message}; {note}";
}
