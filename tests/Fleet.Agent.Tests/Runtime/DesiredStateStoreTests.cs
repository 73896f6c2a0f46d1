using Fleet.Agent.Runtime;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Tests.Runtime;

/// <summary>desired.pb holds rendered resources, exec environment values among them: it is the owner's alone.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DesiredStateStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Desired => Path.Combine(_dir.State, DesiredStateStore.FileName);

    private static DesiredSet Set(string secret) => new()
    {
        Hash = secret,
        Capabilities = { new DesiredCapability { Key = "db", Revision = 1, Resources = { new Resource { Id = "migrate", Exec = new ExecResource { Env = { ["PGPASSWORD"] = secret } } } } } },
    };

    [Fact]
    public void Save_WritesAnOwnerOnlyFileInAnOwnerOnlyDirectoryAndNothingElse()
    {
        File.SetUnixFileMode(_dir.State, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var store = new DesiredStateStore(_dir.State);

        store.Save(Set("s3cret"));
        store.Save(Set("s3cret-2"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Desired));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_dir.State));
        Assert.Equal([DesiredStateStore.FileName], Directory.EnumerateFileSystemEntries(_dir.State).Select(Path.GetFileName));
        Assert.Equal("s3cret-2", new DesiredStateStore(_dir.State).Load()!.Hash);
    }

    [Theory]
    [InlineData(DesiredStateStore.FileName)]
    [InlineData(DesiredStateStore.FileName + ".tmp")]
    public void Save_SymlinkPlantedAtTheFileOrATemporaryName_IsNotFollowed(string planted)
    {
        var victim = Path.Combine(_dir.Outside, "victim");
        File.WriteAllText(victim, "untouched");
        File.CreateSymbolicLink(Path.Combine(_dir.State, planted), victim);

        new DesiredStateStore(_dir.State).Save(Set("s3cret"));

        Assert.Equal("untouched", File.ReadAllText(victim));
        Assert.Null(new FileInfo(Desired).LinkTarget);
        Assert.Equal("s3cret", new DesiredStateStore(_dir.State).Load()!.Hash);
    }
}
