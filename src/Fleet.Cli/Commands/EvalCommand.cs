using System.CommandLine;
using System.Text.Json;
using Fleet.Cli.Connection;
using Fleet.Cli.Input;
using Fleet.Cli.Output;
using Fleet.Domain.Expressions;
using Fleet.Domain.Expressions.Cel;
using Fleet.Domain.Serialization;

namespace Fleet.Cli.Commands;

/// <summary>
/// <c>fleet eval EXPR [--vars JSON]</c> and <c>fleet eval -</c> (JSON lines in, one JSON line out per
/// input line): the way users and tools try expressions without a hub. The variables are declared from
/// the JSON given, so a name that is not there is reported, with its position, before evaluating.
/// </summary>
internal static class EvalCommand
{
    public static Command Create(CliConsole console)
    {
        var expression = new Argument<string>("expression")
        {
            Description = "a CEL expression; - reads JSON lines {\"expr\": \"...\", \"vars\": {...}} from stdin and writes one JSON line per input line",
        };
        var vars = new Option<string?>("--vars") { Description = "the variables, as a JSON object: {\"target\": {\"name\": \"a1\"}}" };
        var command = new Command("eval", "evaluate an expression and print its value as JSON (no hub needed)") { expression, vars };
        command.SetAction((result, _) => CliAction.Run(console, () => Task.FromResult(result.GetValue(expression) == "-"
            ? Batch(console)
            : Single(console, result.GetValue(expression)!, result.GetValue(vars)))));
        return command;
    }

    private static int Single(CliConsole console, string text, string? varsJson)
    {
        IReadOnlyDictionary<string, object?> variables;
        try
        {
            variables = varsJson is null ? new Dictionary<string, object?>() : Variables(ValueJson.Deserialize(varsJson), "it");
        }
        catch (JsonException e)
        {
            throw new UsageException($"--vars is not valid JSON: {e.Message}");
        }
        catch (FormatException e)
        {
            throw new UsageException($"--vars: {e.Message}");
        }

        var outcome = Evaluate(text, variables, check: true);
        if (outcome.Error is { } error)
        {
            console.Error.WriteLine($"error: {error}");
            if (outcome.Offset is { } offset)
            {
                WriteCaret(console.Error, text, offset);
            }

            return CliAction.Invalid;
        }

        console.Out.WriteLine(ValueJson.SerializeResult(outcome.Value));
        return CliAction.Ok;
    }

    /// <summary>One output line per input line, in order; a bad line gets an error line and the rest go on.</summary>
    private static int Batch(CliConsole console)
    {
        foreach (var bytes in InputText.Lines(console.Input))
        {
            console.Out.WriteLine(InputText.TryDecode(bytes, out var line, out var bad)
                ? BatchLine(line)
                : ErrorLine($"invalid UTF-8 at column {bad.Column} (byte 0x{bad.Byte:X2})"));
            console.Out.Flush();
        }

        return CliAction.Ok;
    }

    internal static string BatchLine(string line)
    {
        string text;
        IReadOnlyDictionary<string, object?> variables;
        var check = true;
        if (string.IsNullOrWhiteSpace(line))
        {
            return ErrorLine("empty line: expected a JSON object like {\"expr\": \"1 + 1\", \"vars\": {}}");
        }

        try
        {
            if (ValueJson.Deserialize(line) is not IReadOnlyDictionary<string, object?> request)
            {
                return ErrorLine("each line must be a JSON object like {\"expr\": \"1 + 1\", \"vars\": {}}");
            }

            if (request.GetValueOrDefault("expr") is not string expr)
            {
                return ErrorLine("\"expr\" must be a string");
            }

            text = expr;
            variables = Variables(request.GetValueOrDefault("vars"), "\"vars\"");
            if (request.TryGetValue("check", out var checkValue))
            {
                check = checkValue as bool? ?? throw new FormatException("\"check\" must be true or false");
            }
        }
        catch (JsonException e)
        {
            return ErrorLine($"invalid JSON: {e.Message}");
        }
        catch (FormatException e)
        {
            return ErrorLine(e.Message);
        }

        var outcome = Evaluate(text, variables, check);
        return outcome.Error is { } error
            ? ErrorLine(error)
            : "{\"value\":" + ValueJson.SerializeResult(outcome.Value) + "}";
    }

    /// <exception cref="FormatException">The variables are not a JSON object.</exception>
    private static IReadOnlyDictionary<string, object?> Variables(object? vars, string what) => vars switch
    {
        null => new Dictionary<string, object?>(),
        IReadOnlyDictionary<string, object?> map => map,
        _ => throw new FormatException($"{what} must be a JSON object of variable names to values"),
    };

    /// <summary>
    /// Compiles with the variables declared (their types taken from the values) and evaluates. With
    /// <paramref name="check"/> false nothing is refused before evaluation, like cel-spec's disable_check.
    /// </summary>
    private static (object? Value, string? Error, int? Offset) Evaluate(string text, IReadOnlyDictionary<string, object?> variables, bool check)
    {
        var environment = CelEnvironment.Empty
            .WithVariables(variables.Select(kv => KeyValuePair.Create(kv.Key, CelType.Of(kv.Value))))
            .WithChecking(check);
        var compiled = new CelEngine(environment).Compile(text);
        if (compiled.Expression is null)
        {
            return (null, $"{Position(text, compiled.ErrorOffset)}: {compiled.Error}", compiled.ErrorOffset);
        }

        try
        {
            return (compiled.Expression.Evaluate(variables), null, null);
        }
        catch (ExpressionException e)
        {
            return (null, $"{Position(text, e.Offset)}: {e.Message}", e.Offset);
        }
    }

    private static string ErrorLine(string message) => ValueJson.Serialize(new Dictionary<string, object?> { ["error"] = message });

    /// <summary>1-based line and column of <paramref name="offset"/>, as editors count them.</summary>
    internal static string Position(string text, int offset)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return $"line {line}, column {offset - lineStart + 1}";
    }

    /// <summary>The line of the expression with a caret under the error, for people reading a terminal.</summary>
    private static void WriteCaret(TextWriter error, string text, int offset)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        var start = text.LastIndexOf('\n', Math.Max(0, offset - 1)) + 1;
        if (offset == 0)
        {
            start = 0;
        }

        var end = text.IndexOf('\n', offset);
        var line = text[start..(end < 0 ? text.Length : end)];
        var pad = new string([.. line[..Math.Min(offset - start, line.Length)].Select(c => c == '\t' ? '\t' : ' ')]);
        error.WriteLine($"  {line}");
        error.WriteLine($"  {pad}^");
    }
}
