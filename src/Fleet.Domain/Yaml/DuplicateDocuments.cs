using Fleet.Domain.Diagnostics;

namespace Fleet.Domain.Yaml;

/// <summary>
/// One input names each object once: two documents for the same object would make one apply two revisions. Checked by
/// the CLI before anything is sent and by the hub for a whole apply, with the same words.
/// </summary>
public static class DuplicateDocuments
{
    /// <summary>An error at every document after the first that names an object already named in <paramref name="documents"/>.</summary>
    public static IEnumerable<Diagnostic> Find(IEnumerable<ParsedDocument> documents) =>
        documents
            .Where(d => d.Kind.Length > 0 && d.Name.Length > 0)
            .GroupBy(d => (d.Kind, d.Name))
            .Where(g => g.Count() > 1)
            .SelectMany(g => g.Skip(1).Select(d => new Diagnostic(d.Source, d.Line, 1, "metadata.name",
                $"{g.Key.Kind.ToLowerInvariant()}/{g.Key.Name} is already defined in this input ({g.First().Source}:{g.First().Line}); apply each object once")));
}
