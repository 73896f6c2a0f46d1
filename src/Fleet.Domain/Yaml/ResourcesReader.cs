using System.Text;
using Fleet.Domain.Model;
using Fleet.Domain.Rendering;
using Fleet.Domain.Validation;

namespace Fleet.Domain.Yaml;

/// <summary>
/// <c>spec.resources</c>: each resource of one kind (file, manifest or exec) with its conditions, then the
/// references between them (SPEC §3).
/// </summary>
internal sealed class ResourcesReader(DiagnosticSink sink, TemplateScope templates) : SectionReader(sink)
{
    public List<ResourceSpec> Read(DocSequence list)
    {
        var resources = new List<ResourceSpec>();
        var graph = new List<(string Id, string Kind, List<ResourceReference> References)>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < list.Items.Count; i++)
        {
            var path = $"spec.resources[{i}]";
            if (Expect<DocMapping>(list.Items[i], path) is not { } item)
            {
                continue;
            }

            var fields = Fields(item, path, ["id", "file", "manifest", "exec", "readyWhen", "includeWhen"]);
            var id = RequiredString(item, fields, "id", path + ".id");
            if (id is { } given)
            {
                if (!NameRules.IsDns1123Label(given.Value))
                {
                    Report(given.Node, path + ".id", $"'{given.Value}' is not a valid resource id: {Dns1123Rule}");
                }
                else if (!ids.TryAdd(given.Value, Sink.Line(given.Node)))
                {
                    Report(given.Node, path + ".id", $"duplicate resource id '{given.Value}' (first used on line {ids[given.Value]})");
                }
            }

            var kinds = new[] { "file", "manifest", "exec" }
                .Where(kind => fields.TryGetValue(kind, out var e) && !IsNull(e.Value))
                .ToList();
            if (kinds.Count == 0)
            {
                Report(item, path, "a resource needs exactly one of file, manifest or exec");
            }
            else if (kinds.Count > 1)
            {
                Report(fields[kinds[1]].Key, path, $"a resource needs exactly one of file, manifest or exec, not both '{kinds[0]}' and '{kinds[1]}'");
            }

            var references = new List<ResourceReference>();
            FileSpec? file = null;
            if (kinds.Contains("file") && Expect<DocMapping>(fields["file"].Value, path + ".file") is { } fileMap)
            {
                file = ReadFile(fileMap, path + ".file", references);
            }

            ManifestSpec? manifest = null;
            if (kinds.Contains("manifest") && Expect<DocMapping>(fields["manifest"].Value, path + ".manifest") is { } manifestMap)
            {
                manifest = new ManifestReader(Sink, templates).Read(manifestMap, path + ".manifest", references);
            }

            ExecSpec? exec = null;
            if (kinds.Contains("exec") && Expect<DocMapping>(fields["exec"].Value, path + ".exec") is { } execMap)
            {
                exec = new ExecReader(Sink, templates).Read(execMap, path + ".exec", references);
            }

            var readyWhen = fields.TryGetValue("readyWhen", out var readyEntry)
                ? new ManifestReader(Sink, templates).ReadReadyWhen(readyEntry, path + ".readyWhen", kinds.Contains("manifest"))
                : [];
            var includeWhen = fields.TryGetValue("includeWhen", out var includeEntry)
                ? new IncludeWhenReader(Sink, templates).Read(includeEntry, path + ".includeWhen")
                : [];
            resources.Add(new ResourceSpec { Id = id?.Value ?? "", File = file, Manifest = manifest, Exec = exec, ReadyWhen = readyWhen, IncludeWhen = includeWhen });
            graph.Add((id?.Value ?? "", kinds.Count == 1 ? kinds[0] : "", references));
        }

        new ResourceReferenceChecker(Sink, templates).Check(graph);
        return resources;
    }

    private FileSpec ReadFile(DocMapping file, string path, List<ResourceReference> references)
    {
        var fields = Fields(file, path, ["path", "content", "mode"]);
        var filePath = RequiredString(file, fields, "path", path + ".path");
        if (filePath is { } p)
        {
            if (p.Value.Length > FilePathRules.MaxLength)
            {
                Report(p.Node, path + ".path", $"path is longer than {FilePathRules.MaxLength} characters");
            }
            else if (templates.Check((DocScalar)p.Node, path + ".path", templates.ResourceVariables, references) is { } template
                && FilePathRules.Check(template.WithPlaceholders("x")) is { } error)
            {
                // Expressions stand in as a plain name here; what they produce is checked again after rendering.
                Report(p.Node, path + ".path", error);
            }
        }

        var content = "";
        if (fields.TryGetValue("content", out var contentEntry) && !IsNull(contentEntry.Value) && String(contentEntry.Value, path + ".content") is { } text)
        {
            content = text;
            if (Encoding.UTF8.GetByteCount(text) > CapabilityReader.MaxContentBytes)
            {
                Report(contentEntry.Value, path + ".content", $"content is larger than {CapabilityReader.MaxContentBytes / 1024} KiB");
            }
            else
            {
                templates.Check((DocScalar)contentEntry.Value, path + ".content", templates.ResourceVariables, references);
            }
        }

        var mode = OptionalString(fields, "mode", path + ".mode");
        if (mode is not null && !FileModes.IsValid(mode))
        {
            Report(fields["mode"].Value, path + ".mode", $"'{mode}' is not a file mode: want three octal digits with an optional leading 0, e.g. \"0644\"");
        }

        return new FileSpec { Path = filePath?.Value ?? "", Content = content, Mode = mode };
    }
}
