using Fleet.Agent.Drivers.Files;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.Agent.Tests.Drivers.Files;

/// <summary>
/// What every files driver test class starts from: a scratch directory of its own, deleted after each test, and
/// drivers on its managed root. Drivers are made, not kept: a test that takes a new one per pass shows that what the
/// driver holds survives a restart, from the inventory in the state directory alone.
/// </summary>
public abstract class FilesDriverTestBase : IDisposable
{
    private protected TempDirectory Dir { get; } = new();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Dir.Dispose();

    private protected FilesDriver NewDriver() => new(Dir.Root, Dir.State, TimeProvider.System, NullLogger<FilesDriver>.Instance);

    /// <summary>What is on disk at <paramref name="path"/> under the managed root.</summary>
    protected string Read(string path) => System.IO.File.ReadAllText(Dir.InRoot(path));
}
