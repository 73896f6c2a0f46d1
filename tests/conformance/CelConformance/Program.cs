using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CelConformance;

// Usage: CelConformance TESTDATA_DIR FLEET_DLL [--report FILE] [--min-pass-rate PERCENT]
// Turns every in-scope test of cel-spec's tests/simple/testdata into a `fleet eval -` line, runs them all
// through one fleet process and compares the answers. See docs/cel-conformance.md.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: CelConformance TESTDATA_DIR FLEET_DLL [--report FILE] [--min-pass-rate PERCENT]");
    return 2;
}

var testdata = args[0];
var fleet = args[1];
var reportPath = Option("--report");
var minRate = Option("--min-pass-rate") is { } m ? double.Parse(m, CultureInfo.InvariantCulture) : 0;

var cases = new List<ConformanceCase>();
var excluded = new List<(string File, string Section, string Name, string Reason)>();
foreach (var file in Scope.Files)
{
    var root = TextProto.Parse(File.ReadAllText(Path.Combine(testdata, file + ".textproto")));
    foreach (var section in root.Values("section").Cast<ProtoMessage>())
    {
        var sectionName = section.Text("name") ?? "";
        foreach (var test in section.Values("test").Cast<ProtoMessage>())
        {
            var name = test.Text("name") ?? "";
            if (Scope.Exclusion(test) is { } reason)
            {
                excluded.Add((file, sectionName, name, reason));
                continue;
            }

            var built = Build(file, sectionName, name, test);
            if (built is null)
            {
                excluded.Add((file, sectionName, name, "an expected value JSON cannot show (a message)"));
                continue;
            }

            cases.Add(built);
        }
    }
}

foreach (var (file, reason) in Scope.ExcludedFiles)
{
    var path = Path.Combine(testdata, file + ".textproto");
    if (File.Exists(path))
    {
        foreach (var section in TextProto.Parse(File.ReadAllText(path)).Values("section").Cast<ProtoMessage>())
        {
            foreach (var test in section.Values("test").Cast<ProtoMessage>())
            {
                excluded.Add((file, section.Text("name") ?? "", test.Text("name") ?? "", reason));
            }
        }
    }
}

// Each case is one line; a value case also asks for type(expr), because JSON alone cannot tell 1 from 1u.
var lines = new List<string>();
var valueLine = new int[cases.Count];
var typeLine = new Dictionary<int, int>();
for (var i = 0; i < cases.Count; i++)
{
    var c = cases[i];
    valueLine[i] = lines.Count;
    lines.Add(Line(c.Expr, c));
    if (!c.ExpectError && c.ExpectedType is not null)
    {
        typeLine[i] = lines.Count;
        lines.Add(Line("type(" + c.Expr + "\n)", c));
    }
}

var answers = Run(fleet, lines);
var failures = new List<string>();
var perFile = cases.GroupBy(c => c.File).ToDictionary(g => g.Key, g => (Total: g.Count(), Passed: 0));
for (var i = 0; i < cases.Count; i++)
{
    var c = cases[i];
    var answer = JsonDocument.Parse(answers[valueLine[i]]).RootElement;
    var verdict = Judge(c, answer, typeLine.TryGetValue(i, out var t) ? JsonDocument.Parse(answers[t]).RootElement : (JsonElement?)null);
    if (verdict is null)
    {
        perFile[c.File] = (perFile[c.File].Total, perFile[c.File].Passed + 1);
    }
    else
    {
        failures.Add($"{c.File}/{c.Section}/{c.Name}: {c.Expr.ReplaceLineEndings(" ")}\n    {verdict}");
    }
}

var report = new StringBuilder();
var total = cases.Count;
var passed = perFile.Values.Sum(v => v.Passed);
var rate = total == 0 ? 0 : 100.0 * passed / total;
report.AppendLine(CultureInfo.InvariantCulture, $"in scope: {total} tests, passed {passed}, failed {total - passed}: {rate:F1}%");
report.AppendLine();
report.AppendLine("| file | in scope | passed |");
report.AppendLine("|---|---|---|");
foreach (var file in Scope.Files)
{
    var (fileTotal, filePassed) = perFile.GetValueOrDefault(file);
    report.AppendLine(CultureInfo.InvariantCulture, $"| {file} | {fileTotal} | {filePassed} |");
}

report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"out of scope: {excluded.Count} tests");
foreach (var group in excluded.GroupBy(e => e.Reason).OrderByDescending(g => g.Count()))
{
    report.AppendLine(CultureInfo.InvariantCulture, $"  {group.Count(),4}  {group.Key}");
}

report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"failures: {failures.Count}");
foreach (var failure in failures)
{
    report.AppendLine("  " + failure);
}

Console.Write(report);
if (reportPath is not null)
{
    File.WriteAllText(reportPath, report.ToString());
}

return rate >= minRate ? 0 : 1;

string? Option(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

static ConformanceCase? Build(string file, string section, string name, ProtoMessage test)
{
    var vars = new StringBuilder("{");
    foreach (var binding in test.Values("bindings").Cast<ProtoMessage>())
    {
        vars.Append(vars.Length > 1 ? "," : "").Append(JsonSerializer.Serialize(binding.Text("key"))).Append(':');
        vars.Append(ValueJson.Convert(binding.Message("value")!.Message("value")!, forVariables: true));
    }

    vars.Append('}');
    var expr = test.Text("expr") ?? "";
    var check = !test.Flag("disable_check");
    if (test.Has("eval_error") || test.Has("any_eval_errors"))
    {
        return new(file, section, name, expr, vars.ToString(), check, ExpectError: true, null, null);
    }

    if (test.Message("value") is not { } value)
    {
        // A test without a result matcher expects the bool true.
        return new(file, section, name, expr, vars.ToString(), check, ExpectError: false, "true", "bool");
    }

    var json = ValueJson.Convert(value, forVariables: false);
    return json is null ? null : new(file, section, name, expr, vars.ToString(), check, ExpectError: false, json, ValueJson.TypeName(value));
}

static string Line(string expr, ConformanceCase c)
{
    var line = $"{{\"expr\":{JsonSerializer.Serialize(expr)},\"vars\":{c.VarsJson}";
    return c.Check ? line + "}" : line + ",\"check\":false}";
}

static List<string> Run(string fleet, List<string> lines)
{
    var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false, StandardInputEncoding = new UTF8Encoding(false), StandardOutputEncoding = Encoding.UTF8 };
    info.ArgumentList.Add(fleet);
    info.ArgumentList.Add("eval");
    info.ArgumentList.Add("-");
    using var process = Process.Start(info)!;
    var writer = Task.Run(() =>
    {
        foreach (var line in lines)
        {
            process.StandardInput.WriteLine(line);
        }

        process.StandardInput.Close();
    });
    var output = new List<string>();
    while (process.StandardOutput.ReadLine() is { } line)
    {
        output.Add(line);
    }

    writer.GetAwaiter().GetResult();
    process.WaitForExit();
    if (output.Count != lines.Count)
    {
        throw new InvalidOperationException($"fleet eval - answered {output.Count} lines for {lines.Count}");
    }

    return output;
}

static string? Judge(ConformanceCase c, JsonElement answer, JsonElement? typeAnswer)
{
    var gotError = answer.TryGetProperty("error", out var error);
    if (c.ExpectError)
    {
        return gotError ? null : $"expected an error, got {answer.GetRawText()}";
    }

    if (gotError)
    {
        return $"expected {c.ExpectedJson} ({c.ExpectedType}), got error {error.GetString()}";
    }

    using var expected = JsonDocument.Parse(c.ExpectedJson!);
    if (!JsonCompare.Equal(expected.RootElement, answer.GetProperty("value")))
    {
        return $"expected {c.ExpectedJson}, got {answer.GetProperty("value").GetRawText()}";
    }

    if (typeAnswer is { } t && (!t.TryGetProperty("value", out var type) || type.GetString() != c.ExpectedType))
    {
        return $"expected type {c.ExpectedType}, got {t.GetRawText()}";
    }

    return null;
}
