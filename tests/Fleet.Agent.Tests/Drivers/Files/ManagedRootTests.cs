using Fleet.Agent.Drivers.Files;

namespace Fleet.Agent.Tests.Drivers.Files;

public sealed class ManagedRootTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("motd")]
    [InlineData("etc/motd")]
    [InlineData("a/b/c/d.conf")]
    [InlineData(".hidden")]
    [InlineData("a/..b/c..")]
    [InlineData("with space/ü.txt")]
    public void Normalize_SafeRelativePath_ReturnsItUnchanged(string path)
    {
        Assert.Null(ManagedRoot.Normalize(path, out var normalized));
        Assert.Equal(path, normalized);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("..", "'..'")]
    [InlineData("../x", "'..'")]
    [InlineData("a/../x", "'..'")]
    [InlineData("a/../../x", "'..'")]
    [InlineData("/etc/x", "absolute")]
    [InlineData("/", "absolute")]
    [InlineData("a\\b", "backslash")]
    [InlineData("..\\..\\x", "backslash")]
    [InlineData("a\0", "NUL")]
    [InlineData("./a", "'.'")]
    [InlineData("a/./b", "'.'")]
    [InlineData("a//b", "empty segment")]
    [InlineData("a/", "empty segment")]
    public void Normalize_UnsafePath_ReturnsReason(string path, string reason)
    {
        var error = ManagedRoot.Normalize(path, out _);

        Assert.NotNull(error);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_PlainPath_ReturnsFullPathUnderRoot()
    {
        var root = new ManagedRoot(_dir.Root + "/");

        Assert.Null(root.Resolve("a/b.txt", out var full));
        Assert.Equal(Path.Combine(_dir.Root, "a", "b.txt"), full);
    }

    [Fact]
    public void Resolve_RootItselfIsSymlink_IsAllowed()
    {
        var link = Path.Combine(_dir.Path, "root-link");
        Directory.CreateSymbolicLink(link, _dir.Root);

        Assert.Null(new ManagedRoot(link).Resolve("a.txt", out _));
    }

    [Theory]
    [InlineData("dangling", "dangling")]
    [InlineData("dangling/x", "dangling")]
    [InlineData("dir/inner/x", "dir/inner")]
    public void FindSymlink_LinkComponent_ReturnsFirstLink(string path, string expected)
    {
        File.CreateSymbolicLink(_dir.InRoot("dangling"), Path.Combine(_dir.Outside, "missing"));
        Directory.CreateDirectory(_dir.InRoot("dir"));
        Directory.CreateSymbolicLink(_dir.InRoot("dir/inner"), _dir.Root);

        Assert.Equal(expected, new ManagedRoot(_dir.Root).FindSymlink(path, includeFile: true));
    }

    [Fact]
    public void RemoveEmptyParents_NestedEmptyDirectories_RemovesThemButNotRoot()
    {
        Directory.CreateDirectory(_dir.InRoot("a/b/c"));
        File.WriteAllText(_dir.InRoot("keep"), "x");

        new ManagedRoot(_dir.Root).RemoveEmptyParents(_dir.InRoot("a/b/c/gone.txt"));

        Assert.False(Directory.Exists(_dir.InRoot("a")));
        Assert.True(Directory.Exists(_dir.Root));
    }

    [Fact]
    public void RemoveEmptyParents_EmptyRoot_KeepsRoot()
    {
        new ManagedRoot(_dir.Root).RemoveEmptyParents(_dir.InRoot("gone.txt"));

        Assert.True(Directory.Exists(_dir.Root));
    }
}
