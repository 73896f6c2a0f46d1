namespace CelConformance;

/// <summary>
/// Which of cel-spec's simple tests exercise only what Fleet's CEL supports (SPEC §3: the core language,
/// its standard functions and macros, JSON-shaped variables), and why the others do not.
/// </summary>
internal static class Scope
{
    /// <summary>Files of the core language. Everything else is protobuf messages, timestamps, extension libraries or checker internals.</summary>
    public static readonly string[] Files =
    [
        "basic", "comparisons", "conversions", "fields", "fp_math", "integer_math", "lists", "logic", "macros", "parse", "plumbing", "string",
    ];

    /// <summary>Files left out as a whole, with the reason.</summary>
    public static readonly (string File, string Reason)[] ExcludedFiles =
    [
        ("dynamic", "protobuf well-known types (Any, Struct, Value, wrappers)"),
        ("enums", "protobuf enums"),
        ("proto2", "protobuf messages"),
        ("proto2_ext", "protobuf extensions"),
        ("proto3", "protobuf messages"),
        ("wrappers", "protobuf wrapper types"),
        ("timestamps", "timestamp and duration (not in SPEC §3)"),
        ("namespace", "containers (protobuf package name resolution)"),
        ("optionals", "optional types (an extension)"),
        ("unknowns", "unknown-value evaluation (partial state)"),
        ("type_deduction", "compares the checker's deduced types, not evaluation results"),
        ("macros2", "two-variable comprehensions (an extension library)"),
        ("bindings_ext", "cel.bind extension"),
        ("block_ext", "cel.block extension"),
        ("encoders_ext", "base64 extension"),
        ("math_ext", "math extension"),
        ("network_ext", "network extension"),
        ("string_ext", "strings extension"),
    ];

    /// <summary>Markers of features outside the supported language, searched in a test's expression.</summary>
    private static readonly (string Marker, string Reason)[] ExpressionMarkers =
    [
        ("google.protobuf", "protobuf types"),
        ("TestAllTypes", "protobuf messages"),
        ("cel.expr.conformance", "protobuf messages"),
        ("timestamp(", "timestamps"),
        ("duration(", "durations"),
        ("optional", "optional types"),
        (".?", "optional syntax"),
        ("[?", "optional syntax"),
    ];

    /// <summary>Why <paramref name="test"/> is out of scope, or null when it is in scope.</summary>
    public static string? Exclusion(ProtoMessage test)
    {
        var expr = test.Text("expr") ?? "";
        foreach (var (marker, reason) in ExpressionMarkers)
        {
            if (expr.Contains(marker, StringComparison.Ordinal))
            {
                return reason;
            }
        }

        if (!string.IsNullOrEmpty(test.Text("container")))
        {
            return "containers (protobuf package name resolution)";
        }

        if (test.Flag("check_only"))
        {
            return "checker only, nothing evaluated";
        }

        if (test.Flag("disable_macros"))
        {
            return "macros disabled";
        }

        if (test.Has("unknown") || test.Has("any_unknowns") || test.Has("typed_result"))
        {
            return "unknowns or deduced types";
        }

        foreach (var binding in test.Values("bindings").OfType<ProtoMessage>())
        {
            var value = binding.Message("value")?.Message("value");
            if (value is null)
            {
                return "a binding that is an error or unknown";
            }

            if (ValueJson.Convert(value, forVariables: true) is null)
            {
                return "a variable JSON cannot carry (uint, bytes, type, message, or a map with non-string keys)";
            }
        }

        return null;
    }
}
