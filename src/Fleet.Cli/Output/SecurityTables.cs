using Fleet.Protocol.Security.V1;
using Spectre.Console;

namespace Fleet.Cli.Output;

/// <summary>The human tables of <c>fleet token list</c> and <c>fleet audit</c>.</summary>
internal static class SecurityTables
{
    public static Table Tokens(IEnumerable<TokenInfo> tokens)
    {
        var table = New("ID", "ROLE", "STATE", "EXPIRES", "TARGET", "DESCRIPTION", "CREATED BY");
        foreach (var t in tokens)
        {
            table.AddRow(
                Cell(t.Id), Cell(t.Role), Cell(t.State),
                Cell(t.Expires is null ? "never" : $"{t.Expires.ToDateTimeOffset():u}"),
                Cell(t.Target.Length == 0 ? "-" : t.Target), Cell(t.Description), Cell(t.CreatedBy));
        }

        return table;
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
