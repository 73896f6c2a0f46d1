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
        if (ManifestValue(manifest, path, 0, references) is not IReadOnlyDictionary<string, object?> value)
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

    private object? ManifestValue(DocNode node, string path, int depth, List<ResourceReference> references)
    {
        switch (node)
        {
            case DocScalar scalar:
                var value = CoreSchema.Resolve(scalar, out var error);
                if (error is not null)
                {
                    Report(scalar, path, error);
                }
                else if (value is string)
                {
                    templates.Check(scalar, path, templates.ResourceVariables, references);
                }

                return value;
            case DocSequence sequence:
                var list = new List<object?>(sequence.Items.Count);
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    list.Add(ManifestValue(sequence.Items[i], $"{path}[{i}]", depth + 1, references));
                }

                return list;
            case DocMapping mapping:
                var map = new SortedDictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (keyNode, valueNode) in mapping.Entries)
                {
                    if (keyNode is not DocScalar { IsNull: false } key)
                    {
                        Report(keyNode, path, $"keys must be strings, not {keyNode.Description}");
                        continue;
                    }

                    var field = $"{path}.{key.Value}";
                    if (key.Value.Contains("${", StringComparison.Ordinal))
                    {
                        Report(key, field, "keys cannot hold ${...} expressions; only values are templated");
                    }

                    if (!map.TryAdd(key.Value, ManifestValue(valueNode, field, depth + 1, references)))
                    {
                        Report(key, field, $"duplicate field '{key.Value}'");
                    }
                }

                return map;
            default:
                return null;
        }
    }

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
