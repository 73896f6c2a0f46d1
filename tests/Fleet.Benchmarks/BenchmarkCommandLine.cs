using System.Globalization;

namespace Fleet.Benchmarks;

/// <summary>
/// The command line grammar the benchmark modes share, so that they read alike and fail alike: the mode, then flags
/// each followed by its value, whole numbers within a range, <c>--json FILE</c> required, and one message for a flag
/// that is unknown or lacks a good value. A mode says only what its own flags set.
/// </summary>
internal static class BenchmarkCommandLine
{
    /// <param name="args">The whole command line; the mode in <c>args[0]</c> is the caller's to check.</param>
    /// <param name="defaults">The mode's options before any flag.</param>
    /// <param name="apply">
    /// Applies one of the mode's own flags, taking its value from the callback when it has one (each call takes the
    /// next argument); null when the flag is not the mode's or its value is bad.
    /// </param>
    public static (T? Options, string? Error) Parse<T>(IReadOnlyList<string> args, T defaults, Func<T, string, Func<string?>, T?> apply)
        where T : BenchmarkModeOptions
    {
        var options = defaults;
        for (var i = 1; i < args.Count; i++)
        {
            var flag = args[i];
            string? Value() => i + 1 < args.Count ? args[++i] : null;
            var next = flag == "--json"
                ? Value() is { Length: > 0 } file ? (T)(options with { JsonFile = file }) : null
                : apply(options, flag, Value);
            if (next is null)
            {
                return (null, $"unknown flag or bad value: {flag}");
            }

            options = next;
        }

        return options.JsonFile.Length == 0 ? (null, "--json FILE is required") : (options, null);
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, digits only; null for anything else.</summary>
    public static int? Int(string? text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : null;
}
