using Fleet.Protocol.Security.V1;
using Spectre.Console;

namespace Fleet.Cli.Output;

/// <summary>The human tables of <c>fleet token list</c> and <c>fleet audit</c>.</summary>
internal static class SecurityTables
{
    public static Table Tokens(IEnumerable<TokenInfo> tokens)
    {
        var table = New("ID", "ROLE", "STATE", "EXPIRES", "TARGET", "LABELS", "DESCRIPTION", "CREATED BY");
        foreach (var t in tokens)
        {
            table.AddRow(
                Cell(t.Id), Cell(t.Role), Cell(t.State),
                Cell(t.Expires is null ? "never" : $"{t.Expires.ToDateTimeOffset():u}"),
                Cell(t.Target.Length == 0 ? "-" : t.Target), Cell(Labels(t)), Cell(t.Description), Cell(t.CreatedBy));
        }

        return table;
    }

    /// <summary>"agent-set" in trusting mode, else the fixed labels and the keys left to the agent.</summary>
    private static string Labels(TokenInfo token)
    {
        if (!token.EnrolledLabels)
        {
            return token.Role == "agent" ? "agent-set" : "-";
        }

        var fixedLabels = string.Join(",", token.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
        var keys = token.AllowedLabelKeys.Count == 0 ? "" : $" (agent sets: {string.Join(",", token.AllowedLabelKeys)})";
        return (fixedLabels.Length == 0 ? "none" : fixedLabels) + keys;
    }

    public static Table Audit(IEnumerable<AuditEntry> entries)
    {
        var table = New("TIME", "WHO", "ROLE", "METHOD", "OBJECT", "OUTCOME");
        foreach (var e in entries)
        {
            table.AddRow(
                Cell($"{e.Time.ToDateTimeOffset():u}"), Cell(e.Who), Cell(e.Role),
                Cell(e.Method[(e.Method.LastIndexOf('.') + 1)..]), Cell(e.Object),
                Cell(e.Detail.Length == 0 ? e.Outcome : $"{e.Outcome}: {e.Detail}"));
        }

        return table;
    }

    private static Table New(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(header));
        }

        return table;
    }

    private static Markup Cell(string text) => new(Markup.Escape(text));
}
