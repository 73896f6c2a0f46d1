using System.Text.Json;
using Fleet.Domain.Model;

namespace Fleet.Domain.Serialization;

/// <summary>
/// <c>validations</c> in a capability's canonical JSON: only written when there are any, so revisions stored before
/// validations existed keep their hash.
/// </summary>
internal static class ValidationsJson
{
    public static void Write(CanonicalJsonWriter w, IReadOnlyList<ValidationSpec> validations)
    {
        if (validations.Count == 0)
        {
            return;
        }

        w.Name("validations").StartArray();
        foreach (var validation in validations)
        {
            w.StartObject();
            w.Name(validation.Rule is not null ? "rule" : "resourceRule").String(validation.Text);
            w.Name("message").String(validation.Message);
            w.EndObject();
        }

        w.EndArray();
    }

    /// <exception cref="JsonException">An entry is not in the shape <see cref="Write"/> writes.</exception>
    public static List<ValidationSpec> Read(JsonElement root)
    {
        var list = new List<ValidationSpec>();
        if (CapabilitySpecJson.Optional(root, "validations") is not { } validations)
        {
            return list;
        }

        foreach (var item in CapabilitySpecJson.Array(validations, "validations"))
        {
            var entry = CapabilitySpecJson.Object(item, "validations[]");
            var rule = CapabilitySpecJson.Optional(entry, "rule") is { } r ? CapabilitySpecJson.String(r, "validations[].rule") : null;
            var resourceRule = CapabilitySpecJson.Optional(entry, "resourceRule") is { } rr ? CapabilitySpecJson.String(rr, "validations[].resourceRule") : null;
            if ((rule is null) == (resourceRule is null))
            {
                throw new JsonException("a validation has exactly one of rule and resourceRule");
            }

            list.Add(new ValidationSpec
            {
                Rule = rule,
                ResourceRule = resourceRule,
                Message = CapabilitySpecJson.String(CapabilitySpecJson.Required(entry, "message"), "validations[].message"),
            });
        }

        return list;
    }
}
