namespace Fleet.Agent.Tests;

/// <summary>
/// A real scratch directory per test, with a managed root, a state directory and an "outside" directory that
/// escape attempts aim at, so a test can prove nothing landed there.
/// </summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("fleet-agent-tests-").FullName;
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(State);
        Directory.CreateDirectory(Outside);
    }

    public string Path { get; }

    public string Root => System.IO.Path.Combine(Path, "root");

    public string State => System.IO.Path.Combine(Path, "state");

    public string Outside => System.IO.Path.Combine(Path, "outside");

    public string InRoot(string relative) => System.IO.Path.Combine(Root, relative);

    /// <summary>Every file under the root, relative and '/'-separated, sorted.</summary>
    public string[] FilesInRoot() =>
        [.. Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    // Recursive delete unlinks symlinks without following them, so the links tests plant are safe to clean.
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
