using Fleet.Domain.Model;

namespace Fleet.Domain.Yaml;

/// <summary>The <c>manifest</c> resource kind and its <c>readyWhen</c>.</summary>
internal sealed class ManifestReader(DiagnosticSink sink, TemplateScope templates) : SectionReader(sink)
{
    /// <summary>
    /// Reads a Kubernetes object into the value model, checking the few fields every object needs and every
    /// <c>${...}</c> inside it; the API server checks the rest when the agent applies it.
    /// </summary>
    public ManifestSpec? Read(DocMapping manifest, string path, List<ResourceReference> references)
    {
        if (ManifestValue(manifest, path, references) is not IReadOnlyDictionary<string, object?> value)
        {
            return null;
        }

        var fields = manifest.Entries
            .Where(e => e.Key is DocScalar)
            .GroupBy(e => ((DocScalar)e.Key).Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var required in new[] { "apiVersion", "kind" })
        {
            if (!fields.TryGetValue(required, out var entry))
            {
                Report(manifest, $"{path}.{required}", $"a manifest needs {required}");
            }
            else if (entry.Value is not DocScalar { IsNull: false, Value.Length: > 0 })
            {
                Report(entry.Value, $"{path}.{required}", $"{required} must be a non-empty string");
            }
        }

        if (!fields.TryGetValue("metadata", out var metadata))
        {
            Report(manifest, path + ".metadata", "a manifest needs metadata.name");
        }
        else if (metadata.Value is not DocMapping metadataMap)
        {
            Report(metadata.Value, path + ".metadata", $"metadata must be a mapping, not {metadata.Value.Description}");
        }
        else if (!metadataMap.Entries.Any(e => e.Key is DocScalar { Value: "name" } && e.Value is DocScalar { IsNull: false, Value.Length: > 0 }))
        {
            // generateName would make every converge create another object, which no inventory could track.
            Report(metadataMap, path + ".metadata.name", "a manifest needs metadata.name (a non-empty string; generateName is not supported)");
        }

        return new ManifestSpec { Object = value };
    }

    /// <summary>A manifest's object: string values may be templates over the resource's variables; keys may not.</summary>
    private object? ManifestValue(DocNode node, string path, List<ResourceReference> references) =>
        PlainValue(
            node,
            path,
            onText: (scalar, field) => templates.Check(scalar, field, templates.ResourceVariables, references),
            onKey: (key, field) =>
            {
                if (key.Value.Contains("${", StringComparison.Ordinal))
                {
                    Report(key, field, "keys cannot hold ${...} expressions; only values are templated");
                }
            });

    /// <summary>Reads <c>readyWhen</c>: single <c>${...}</c> conditions over <c>self</c>, allowed on manifests only.</summary>
    public List<string> ReadReadyWhen(DocEntry entry, string path, bool isManifest)
    {
        var conditions = new List<string>();
        if (IsNull(entry.Value))
        {
            return conditions;
        }

        if (!isManifest)
        {
            Report(entry.Key, path, "readyWhen applies to manifest resources only (an exec command is ready when it exits 0, a file once written)");
            return conditions;
        }

        if (Expect<DocSequence>(entry.Value, path) is not { } list)
        {
            return conditions;
        }

        for (var i = 0; i < list.Items.Count; i++)
        {
            var field = $"{path}[{i}]";
            if (Expect<DocScalar>(list.Items[i], field) is not { } scalar)
            {
                continue;
            }

            var template = templates.Check(scalar, field, templates.ReadyWhenVariables);
            if (template is not null && !template.IsSingleExpression)
            {
                Report(scalar, field, "a readyWhen condition must be exactly one ${...} expression, e.g. ${self.status.readyReplicas == self.spec.replicas}");
            }

            conditions.Add(scalar.Value);
        }

        return conditions;
    }
}
