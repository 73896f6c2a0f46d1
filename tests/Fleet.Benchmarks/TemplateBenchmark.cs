using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using Fleet.Domain.Expressions;
using Fleet.Domain.Expressions.Cel;
using Fleet.Domain.Rendering;
using Fleet.Domain.Yaml;
using Spectre.Console;

namespace Fleet.Benchmarks;

/// <summary>
/// How much CPU the hub spends on templates, in this process and on one thread: compiling the <c>${...}</c> expressions
/// of a typical capability, evaluating them per target, and placing and rendering one compiled capability for a fleet of
/// synthetic targets. Each figure is a pass of work run untimed first (JIT, tiering), then timed
/// <see cref="TemplateBenchmarkOptions.Repetitions"/> times, each pass after a full GC. docs/benchmarks.md describes each.
/// </summary>
internal sealed class TemplateBenchmark(TemplateBenchmarkOptions options)
{
    /// <summary>Compile passes compile the expression set this many times (48 000 compiles).</summary>
    private const int CompileRounds = 4000;

    /// <summary>Compiles per pass of the new-pattern figure; a pass stays under the regex cache's 256 entries.</summary>
    private const int NewPatternCompiles = 200;

    /// <summary>Evaluation passes go over all targets this many times.</summary>
    private const int EvaluateRounds = 4;

    private const int CapabilityCompiles = 800;

    /// <summary>The per-expression figures evaluate over this many targets' variables, about this many times per pass.</summary>
    private const int HotTargets = 100;

    private const int ByExpressionEvaluations = 100_000;

    private static readonly IExpressionEngine Engine = TemplateEnvironment.Engine;

    private long _sink;
    private int _pattern;

    public static int RunCommandLine(IReadOnlyList<string> args)
    {
        var (options, error) = TemplateBenchmarkOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine($"error: {error}");
            Console.Error.WriteLine(TemplateBenchmarkOptions.Usage);
            return 2;
        }

        try
        {
            ResultFile.Write(new TemplateBenchmark(options).Run(), options.JsonFile);
            return 0;
        }
        catch (BenchmarkException e)
        {
            AnsiConsole.MarkupLine($"[red]benchmark failed:[/] {Markup.Escape(e.Message)}");
            return 1;
        }
    }

    public TemplateBenchmarkResult Run()
    {
        var optimized = IsOptimized(typeof(CelEngine).Assembly) && IsOptimized(typeof(TemplateBenchmark).Assembly);
        AnsiConsole.MarkupLine($"[bold]Fleet templates benchmark[/]: {options.Targets} targets, {options.Repetitions} passes per figure, one thread, {Environment.ProcessorCount} cores");
        if (!optimized)
        {
            AnsiConsole.MarkupLine("[yellow]warning: not an optimized (Release) build; run with -c Release for figures worth quoting[/]");
        }

        var loadBefore = HostMachine.LoadAverage();
        var targets = TemplateWorkload.Targets(options.Targets);
        var capabilityValue = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = "node-baseline",
            ["version"] = "2.4.1",
            ["revision"] = 7L,
        };
        var variables = targets.Select(t => TemplateWorkload.Variables(t, capabilityValue)).ToArray();
        var expressions = TemplateWorkload.Expressions;

        // Compiling the expression set; the matches pattern is in the regex cache after the first compile, as it is
        // when the hub compiles a revision whose document `fleet apply` has already checked.
        var compile = Measure("compile", CompileRounds * expressions.Count, () =>
        {
            for (var round = 0; round < CompileRounds; round++)
            {
                foreach (var expression in expressions)
                {
                    _sink += CompileOrFail(expression).RootVariables.Count;
                }
            }
        });

        // A matches whose pattern nobody compiled before: the regex itself is built.
        var compileNewPattern = Measure("compile, matches with a new pattern", NewPatternCompiles, () =>
        {
            for (var i = 0; i < NewPatternCompiles; i++)
            {
                var n = _pattern++;
                _sink += CompileOrFail($"target.name.matches('^web-[0-9]+-{n}$')").RootVariables.Count;
            }
        });

        var programs = expressions.Select(CompileOrFail).ToArray();
        var evaluate = Measure("evaluate", (long)EvaluateRounds * variables.Length * programs.Length, () =>
        {
            for (var round = 0; round < EvaluateRounds; round++)
            {
                foreach (var v in variables)
                {
                    foreach (var program in programs)
                    {
                        _sink += program.Evaluate(v) switch
                        {
                            true => 1,
                            string s => s.Length,
                            _ => 0,
                        };
                    }
                }
            }
        });

        // Where the evaluation time goes: each expression alone, already warm, over the variables of the first few targets
        // again and again, so they stay in the CPU's caches as they do when one target's templates are rendered together.
        var hot = variables.Take(HotTargets).ToArray();
        var byExpression = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var e = 0; e < programs.Length; e++)
        {
            var program = programs[e];
            var passes = Enumerable.Range(0, options.Repetitions).Select(_ => Time(() =>
            {
                for (var round = 0; round < ByExpressionEvaluations / hot.Length; round++)
                {
                    foreach (var v in hot)
                    {
                        _sink += program.Evaluate(v) is true ? 1 : 0;
                    }
                }
            }).Milliseconds).ToList();
            byExpression[expressions[e]] = Round(Percentiles.Of(passes, 50) * 1_000_000 / (ByExpressionEvaluations / hot.Length * hot.Length));
        }

        Reporter.Note("ns per evaluation: " + string.Join(", ", byExpression.Select(kv => F($"{kv.Key} {kv.Value:0}"))));

        var renderer = new CapabilityRenderer(Engine);
        var parseAndCompile = Measure("parse and compile the capability", CapabilityCompiles, () =>
        {
            for (var i = 0; i < CapabilityCompiles; i++)
            {
                _sink += ParseAndCompile(renderer).ApplyOrder.Count;
            }
        });

        var compiled = ParseAndCompile(renderer);
        var counts = PlaceAndRender(compiled, targets);
        if (counts.Failed > 0 || counts.Rendered == 0)
        {
            var failure = targets.Select(t => compiled.Place(t).Placed ? compiled.Render(t).Error : null).FirstOrDefault(e => e is not null);
            throw new BenchmarkException($"the workload is broken: {counts.Failed} of {counts.Placed} placed targets failed to render ({failure})");
        }

        Reporter.Note($"{counts.Placed} of {counts.Targets} targets placed, {counts.Rendered} rendered, {counts.ResourcesRendered} files, {counts.ContentCharacters} characters of content");
        var placeOnly = Measure("place only, per target", targets.Length, () =>
        {
            foreach (var target in targets)
            {
                _sink += compiled.Place(target).Placed ? 1 : 0;
            }
        });
        var placeAndRender = Measure("place and render, per target", targets.Length, () => _sink += PlaceAndRender(compiled, targets).Rendered);
        Reporter.Done(
            $"place and render {targets.Length} targets",
            F($"{placeAndRender.PassMilliseconds.Median:0.0} ms [{placeAndRender.PassMilliseconds.Min:0.0}–{placeAndRender.PassMilliseconds.Max:0.0}], {placeAndRender.AllocatedBytesPerPass / 1024.0 / 1024.0:0.0} MiB allocated; first pass (JIT) {placeAndRender.FirstPassMilliseconds:0.0} ms"));

        GC.KeepAlive(_sink);
        return new TemplateBenchmarkResult
        {
            Targets = options.Targets,
            Repetitions = options.Repetitions,
            Expressions = expressions,
            Compile = compile,
            CompileNewPattern = compileNewPattern,
            Evaluate = evaluate,
            EvaluateNanosecondsByExpression = byExpression,
            ParseAndCompileCapability = parseAndCompile,
            Place = placeOnly,
            PlaceAndRender = placeAndRender,
            PlaceAndRenderCounts = counts,
            Machine = new TemplateBenchmarkResult.MachineInfo(
                Environment.ProcessorCount,
                HostMachine.CpuModel(),
                RuntimeInformation.OSDescription,
                RuntimeInformation.FrameworkDescription,
                optimized,
                $"{(GCSettings.IsServerGC ? "server" : "workstation")}, {GCSettings.LatencyMode}",
                loadBefore,
                HostMachine.LoadAverage()),
            MeasuredAt = DateTimeOffset.UtcNow,
        };
    }

    private static ICompiledExpression CompileOrFail(string expression) =>
        Engine.Compile(expression) is { Expression: { } compiled } ? compiled
            : throw new BenchmarkException($"'{expression}' does not compile: {Engine.Compile(expression).Error}");

    private static CompiledCapability ParseAndCompile(CapabilityRenderer renderer)
    {
        var document = DocumentParser.ParseOne(TemplateWorkload.CapabilityYaml, "node-baseline.yaml", 1, Engine);
        if (!document.IsValid)
        {
            throw new BenchmarkException("the benchmark's capability is invalid: " + string.Join("; ", document.Errors.Select(e => $"{e.Line}:{e.Column} {e.Message}")));
        }

        return renderer.Compile(document.Capability!, 7);
    }

    /// <summary>What the hub does for each target: placement first, and the render only for a placed target.</summary>
    private static TemplateBenchmarkResult.RenderCounts PlaceAndRender(CompiledCapability compiled, TargetInfo[] targets)
    {
        int placed = 0, rendered = 0, failed = 0, resources = 0;
        long characters = 0;
        foreach (var target in targets)
        {
            if (!compiled.Place(target).Placed)
            {
                continue;
            }

            placed++;
            var result = compiled.Render(target);
            if (result.Error is not null)
            {
                failed++;
                continue;
            }

            rendered++;
            resources += result.Resources.Count;
            foreach (var resource in result.Resources)
            {
                characters += resource.File?.Content.Length ?? 0;
            }
        }

        return new(targets.Length, placed, rendered, failed, resources, characters);
    }

    /// <summary>
    /// One figure: a cold first pass (JIT included), untimed passes for at least the warm-up time (and at least two), then
    /// the measured passes, each after a full collection so one pass's garbage is not collected in the next.
    /// </summary>
    private TemplateBenchmarkResult.Figures Measure(string what, long operations, Action pass)
    {
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(what)}: warming up[/]");
        var first = Time(pass);
        var warmUp = Stopwatch.GetTimestamp();
        for (var passes = 0; passes < 2 || Stopwatch.GetElapsedTime(warmUp).TotalSeconds < options.WarmUpSeconds; passes++)
        {
            pass();
        }

        var samples = Enumerable.Range(0, options.Repetitions).Select(_ => Time(pass)).ToList();
        var milliseconds = samples.Select(s => s.Milliseconds).ToList();
        var median = Percentiles.Of(milliseconds, 50);
        var min = Percentiles.Of(milliseconds, 0);
        var max = Percentiles.Of(milliseconds, 100);
        var allocated = (long)Percentiles.Of([.. samples.Select(s => (double)s.AllocatedBytes)], 50);
        var figures = new TemplateBenchmarkResult.Figures(
            operations,
            new(Round(operations / (median / 1000)), Round(operations / (max / 1000)), Round(operations / (min / 1000))),
            new(Round(median * 1000 / operations), Round(min * 1000 / operations), Round(max * 1000 / operations)),
            new(Round(median), Round(min), Round(max)),
            allocated,
            Round((double)allocated / operations),
            Round(samples.Average(s => s.Gen0)),
            samples.Sum(s => s.Gen2),
            Round(first.Milliseconds),
            [.. milliseconds.Select(Round)]);
        Reporter.Done(
            what,
            F($"{figures.OperationsPerSecond.Median:#,0}/s [{figures.OperationsPerSecond.Min:#,0}–{figures.OperationsPerSecond.Max:#,0}], {figures.MicrosecondsPerOperation.Median:0.000} µs and {figures.AllocatedBytesPerOperation:#,0} B each"));
        return figures;
    }

    private static Sample Time(Action pass)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var start = Stopwatch.GetTimestamp();
        pass();
        var elapsed = Stopwatch.GetElapsedTime(start);
        return new Sample(
            elapsed.TotalMilliseconds,
            GC.GetAllocatedBytesForCurrentThread() - allocated,
            GC.CollectionCount(0) - gen0,
            GC.CollectionCount(2) - gen2);
    }

    private static bool IsOptimized(Assembly assembly) =>
        assembly.GetCustomAttribute<DebuggableAttribute>() is not { IsJITOptimizerDisabled: true };

    private static double Round(double value) => Math.Round(value, 3);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private readonly record struct Sample(double Milliseconds, long AllocatedBytes, int Gen0, int Gen2);
}
