using Fleet.Protocol.Admin;
using Fleet.Protocol.Admin.V1;
using Spectre.Console;

namespace Fleet.Cli.Output;

/// <summary>The human tables of <c>fleet get</c>.</summary>
internal static class Tables
{
    public static Table Targets(IEnumerable<Target> targets)
    {
        var table = New("NAME", "DRIVER", "CONNECTED", "LABELS", "CAPABILITIES", "LAST SEEN");
        foreach (var t in targets)
        {
            table.AddRow(
                Cell(t.Name),
                Cell(t.Driver),
                Cell(t.Connected ? "yes" : "no"),
                Cell(string.Join(",", t.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"))),
                Cell(string.Join(" ", t.Capabilities.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}@{c.Value.Revision}:{StateNames.Of(c.Value.State)}"))),
                Cell(t.LastSeen is null ? "-" : Ago(t.LastSeen.ToDateTimeOffset())));
        }

        return table;
    }

    public static Table Capabilities(IEnumerable<Capability> capabilities)
    {
        var table = New("NAME", "VERSION", "REVISION", "STABLE", "TARGETS", "ROLLOUT");
        foreach (var c in capabilities)
        {
            table.AddRow(Cell(c.Name), Cell(c.Version), Cell(c.Revision.ToString()), Cell(c.StableRevision.ToString()),
                Cell(c.Targets.ToString()), Cell(string.IsNullOrEmpty(c.ActiveRollout) ? "-" : c.ActiveRollout));
        }

        return table;
    }

    public static Table Instances(IEnumerable<Instance> instances)
    {
        // Inputs can be long and nested: `describe instance` and `-o yaml` show them.
        var table = New("NAME", "CAPABILITY", "REVISION", "STABLE", "CAP REV", "TARGETS", "ROLLOUT");
        foreach (var i in instances)
        {
            table.AddRow(Cell(i.Name), Cell(i.Capability), Cell(i.Revision.ToString()), Cell(i.StableRevision.ToString()),
                Cell(i.CapabilityRevision.ToString()), Cell(i.Targets.ToString()),
                Cell(string.IsNullOrEmpty(i.ActiveRollout) ? "-" : i.ActiveRollout));
        }

        return table;
    }

    public static Table Rollouts(IEnumerable<Rollout> rollouts)
    {
        var table = New("ID", "CAPABILITY", "FROM", "TO", "PHASE", "DONE", "FAILED", "MESSAGE");
        foreach (var r in rollouts)
        {
            table.AddRow(Cell(r.Id), Cell(string.IsNullOrEmpty(r.Instance) ? r.Capability : $"{r.Capability}/{r.Instance}"), Cell(r.FromRevision.ToString()), Cell(r.ToRevision.ToString()),
                Cell(StateNames.Of(r.Phase)), Cell($"{r.Counts.Succeeded + r.Counts.Skipped}/{r.Counts.Total}"), Cell(r.Counts.Failed.ToString()), Cell(r.Message));
        }

        return table;
    }

    public static Table New(params string[] headers)
    {
        var table = new Table().Border(TableBorder.None).HideRowSeparators();
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header)).PadLeft(0).PadRight(2));
        }

        return table;
    }

    public static Text Cell(string text) => new(text);

    public static string Ago(DateTimeOffset when)
    {
        var age = DateTimeOffset.UtcNow - when;
        return age.TotalSeconds < 60 ? $"{Math.Max(0, (int)age.TotalSeconds)}s ago"
            : age.TotalMinutes < 60 ? $"{(int)age.TotalMinutes}m ago"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours}h ago"
            : $"{(int)age.TotalDays}d ago";
    }
}
