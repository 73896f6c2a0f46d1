using Fleet.Agent.Runtime;

namespace Fleet.Agent.Tests.Runtime;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OwnerOnlyDirectoryTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Open = Private | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Ensure_Missing_CreatesItOwnerOnly()
    {
        var path = Path.Combine(_dir.Path, "agents", "a1");

        OwnerOnlyDirectory.Ensure(path);

        Assert.Equal(Private, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Ensure_ExistingOpenToOthers_NarrowsItToOwnerOnly()
    {
        File.SetUnixFileMode(_dir.State, Open);

        OwnerOnlyDirectory.Ensure(_dir.State);

        Assert.Equal(Private, File.GetUnixFileMode(_dir.State));
    }

    [Fact]
    public void Ensure_SharedStickyDirectory_IsRefusedAndLeftAsItWas()
    {
        var shared = Path.Combine(_dir.Path, "tmp");
        Directory.CreateDirectory(shared);
        var mode = UnixFileMode.StickyBit | Open | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        File.SetUnixFileMode(shared, mode);

        var e = Assert.Throws<IOException>(() => OwnerOnlyDirectory.Ensure(shared));

        Assert.Contains("shared directory", e.Message, StringComparison.Ordinal);
        Assert.Equal(mode, File.GetUnixFileMode(shared));
    }
}
