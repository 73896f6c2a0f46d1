using Fleet.Domain.Expressions;
using Fleet.Domain.Inputs;
using Fleet.Domain.Rendering;

namespace Fleet.Domain.Yaml;

/// <summary>
/// A capability's <c>spec.inputs</c> (SPEC §2, kro's SimpleSchema): each input is a declaration such as
/// <c>integer | default=1 minimum=1</c> or a mapping of fields (a nested object). Every problem is reported at the
/// character it is about, a declaration's markers included.
/// </summary>
internal sealed class InputsReader(DiagnosticSink sink) : SectionReader(sink)
{
    public const string InputsPath = "spec.inputs";

    /// <summary>
    /// The schema of <c>spec.inputs</c> (null when there is none or it has problems) and the scope the capability's
    /// templates are checked in. Templates may read <c>inputs</c> even when the schema has problems, so one mistake in
    /// a declaration does not also turn every use of the inputs into an error.
    /// </summary>
    public (InputSchema? Schema, TemplateScope Scope) Read(DocEntry? entry, IExpressionEngine engine)
    {
        if (entry is null || IsNull(entry.Value) || Expect<DocMapping>(entry.Value, InputsPath) is not { } map)
        {
            return (null, new TemplateScope(Sink, engine, takesInputs: false));
        }

        if (map.Entries.Count == 0)
        {
            Report(map, InputsPath, "inputs needs at least one input (leave it out for a capability delivered to every placed target without an Instance)");
            return (null, new TemplateScope(Sink, engine, takesInputs: true));
        }

        var schema = ReadInputObject(map, InputsPath, level: 1);
        return (schema, new TemplateScope(Sink, schema is null ? engine : TemplateEnvironment.ForCapability(engine, schema), takesInputs: true));
    }

    /// <summary>The inputs (or the fields of an object input) in <paramref name="map"/>, at nesting level <paramref name="level"/>.</summary>
    private InputSchema? ReadInputObject(DocMapping map, string path, int level)
    {
        var valid = true;
        if (map.Entries.Count > InputSchema.MaxFields)
        {
            Report(map, path, $"at most {InputSchema.MaxFields} {(level == 1 ? "inputs" : "fields")} are allowed here, not {map.Entries.Count}");
            valid = false;
        }

        var fields = new List<InputField>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in map.Entries)
        {
            if (keyNode is not DocScalar { IsNull: false } key)
            {
                Report(keyNode, path, $"input names must be strings, not {keyNode.Description}");
                valid = false;
                continue;
            }

            var field = $"{path}.{key.Value}";
            if (!InputNames.IsValid(key.Value))
            {
                Report(key, field, $"'{key.Value}' is not a valid input name: {InputNames.Rule}");
                valid = false;
            }
            else if (!names.Add(key.Value))
            {
                Report(key, field, $"duplicate input '{key.Value}'");
                valid = false;
            }

            var read = ReadInputField(key.Value, valueNode, field, level);
            if (read is null)
            {
                valid = false;
            }
            else
            {
                fields.Add(read);
            }
        }

        return valid ? new InputSchema(fields) : null;
    }

    private InputField? ReadInputField(string name, DocNode value, string field, int level)
    {
        switch (value)
        {
            case DocScalar { IsNull: true }:
                Report(value, field, $"an input needs a type, e.g. '{name}: string' ({InputTypeParser.Types})");
                return null;
            case DocScalar declaration:
                var errors = new List<InputError>();
                var parsed = InputDeclarationParser.Parse(name, declaration.Value, errors);
                foreach (var error in errors)
                {
                    ReportAt(declaration, error.Offset, field, error.Message);
                }

                if (parsed is not null && level + parsed.Type.Depth > InputSchema.MaxDepth)
                {
                    Report(declaration, field, $"inputs may nest at most {InputSchema.MaxDepth} levels deep (every object, list and map is one more)");
                    return null;
                }

                return parsed;
            case DocMapping { Entries.Count: 0 }:
                Report(value, field, "an object input needs at least one field");
                return null;
            case DocMapping fields when level >= InputSchema.MaxDepth:
                Report(fields, field, $"inputs may nest at most {InputSchema.MaxDepth} levels deep (every object, list and map is one more)");
                return null;
            case DocMapping fields:
                return ReadInputObject(fields, field, level + 1) is { } schema ? new InputField { Name = name, Type = InputType.ObjectOf(schema) } : null;
            default:
                Report(value, field, $"must be a type such as 'string | default=\"x\"' or a mapping of fields, not {value.Description}");
                return null;
        }
    }
}
