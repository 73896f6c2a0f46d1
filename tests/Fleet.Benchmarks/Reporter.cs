using System.Diagnostics;
using Spectre.Console;

namespace Fleet.Benchmarks;

/// <summary>The console side: a live status line while waiting, one line per finished step, and bounded waits.</summary>
internal sealed class Reporter(StatusContext status)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    // Without a terminal every status change would become a line: then only every few seconds.
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(5);

    private readonly bool _interactive = AnsiConsole.Profile.Capabilities.Interactive;
    private long _lastShown;

    public void Status(string text)
    {
        if (!_interactive)
        {
            if (_lastShown != 0 && Stopwatch.GetElapsedTime(_lastShown) < QuietPeriod)
            {
                return;
            }

            _lastShown = Stopwatch.GetTimestamp();
        }

        status.Status(Markup.Escape(text));
    }

    public static void Done(string step, string figure) =>
        AnsiConsole.MarkupLine($"[green]✓[/] {Markup.Escape(step)}: [bold]{Markup.Escape(figure)}[/]");

    public static void Note(string text) => AnsiConsole.MarkupLine($"  [grey]{Markup.Escape(text)}[/]");

    /// <summary>Polls a local condition, showing <paramref name="describe"/>; fails after <paramref name="timeout"/>.</summary>
    public async Task Until(Func<bool> done, Func<string> describe, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (!done())
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                throw new BenchmarkException($"timed out after {timeout.TotalSeconds:0} s waiting for {what} ({describe()})");
            }

            Status($"{what}: {describe()} ({Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s)");
            await Task.Delay(Poll, cancellationToken);
        }
    }

    /// <summary>Awaits <paramref name="task"/>, showing <paramref name="describe"/>; fails after <paramref name="timeout"/>.</summary>
    public async Task<T> Within<T>(Task<T> task, Func<string> describe, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        await Until(() => task.IsCompleted, describe, timeout, what, cancellationToken);
        return await task;
    }

    /// <summary>Polls a remote condition every <paramref name="every"/>; fails after <paramref name="timeout"/>.</summary>
    public async Task UntilAsync(Func<Task<bool>> done, Func<string> describe, TimeSpan timeout, TimeSpan every, string what, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await done())
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                throw new BenchmarkException($"timed out after {timeout.TotalSeconds:0} s waiting for {what} ({describe()})");
            }

            Status($"{what}: {describe()} ({Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s)");
            await Task.Delay(every, cancellationToken);
        }
    }
}
