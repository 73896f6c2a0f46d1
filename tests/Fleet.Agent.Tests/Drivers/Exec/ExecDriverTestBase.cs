using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Agent.Drivers.Exec;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Agent.Tests.Drivers.Exec;

/// <summary>
/// What every exec driver test class starts from: a scratch directory of its own, a fake clock for the driver's
/// retries and timeouts, and drivers with the class's options. The commands are real /bin/sh processes; they write to
/// files in the "outside" directory so that a test can read back what ran, in which order.
/// </summary>
public abstract class ExecDriverTestBase : IDisposable
{
    private readonly ExecOptions _options;

    /// <param name="options">The options of <see cref="NewDriver"/> unless a test passes its own.</param>
    private protected ExecDriverTestBase(ExecOptions options) => _options = options;

    private protected TempDirectory Dir { get; } = new();

    private protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Dir.Dispose();

    /// <summary>Retries that do not wait: a failing command is tried again at once instead of after a real delay.</summary>
    private protected static ExecOptions NoDelay(int retries) => new() { Retries = retries, RetryDelay = TimeSpan.Zero, MaxRetryDelay = TimeSpan.Zero };

    private protected ExecDriver NewDriver(ExecOptions? options = null, TimeProvider? time = null) =>
        new(Dir.State, options ?? _options, time ?? Time, NullLogger<ExecDriver>.Instance);

    /// <summary>A file outside the managed root for commands to write to.</summary>
    protected string Out(string name) => Path.Combine(Dir.Outside, name);

    /// <summary>The lines commands appended to <paramref name="name"/>; none when nothing ran.</summary>
    protected string[] Lines(string name) => File.Exists(Out(name)) ? File.ReadAllLines(Out(name)) : [];

    /// <summary>The pid the inventory records for the running command of capability <paramref name="key"/>'s first resource, or null.</summary>
    protected int? RunPid(string key)
    {
        try
        {
            var path = Path.Combine(Dir.State, ExecDriver.InventoryFileName);
            return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))?["capabilities"]?[key]?["resources"]?[0]?["runPid"]?.GetValue<int>() : null;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            // Read while being replaced, or not written yet.
            return null;
        }
    }

    /// <summary>What process <paramref name="pid"/> runs now (its argv, NUL-separated), or "" once it is gone.</summary>
    protected static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }
}
