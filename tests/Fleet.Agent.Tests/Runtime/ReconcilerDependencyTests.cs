using Fleet.Agent.Drivers;
using Fleet.Agent.Drivers.Exec;
using Fleet.Agent.Runtime;
using Fleet.Agent.Tests.Drivers.Dependencies;
using Fleet.Protocol.Agent.V1;
using Microsoft.Extensions.Logging.Abstractions;
using static Fleet.Agent.Tests.Drivers.Exec.ExecDesired;

namespace Fleet.Agent.Tests.Runtime;

/// <summary>The reconcile loop with dependent exec resources: real processes, a fake clock for the resync.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ReconcilerDependencyTests : ReconcilerTestBase
{
    private protected override ITargetDriver NewDriver() =>
        new ExecDriver(Dir.State, new ExecOptions { Retries = 0 }, Time, NullLogger<ExecDriver>.Instance);

    private string Out(string name) => Path.Combine(Dir.Outside, name);

    private string[] Lines(string name) => File.Exists(Out(name)) ? File.ReadAllLines(Out(name)) : [];

    [Fact]
    public async Task Resync_DependencyFailedAtFirstAndSucceedsLater_TheDependentRunsAtThatResyncWithoutANewDesiredSet()
    {
        var reconciler = Start();
        var db = Sh("db", $"test -f '{Out("db-up")}' || exit 1; echo db >> '{Out("applied")}'");
        var migrate = Sh("migrate", $"echo migrate >> '{Out("applied")}'").DependingOn("db");
        var desired = Capability("shop", 1, migrate, db);
        reconciler.SetDesired(new DesiredSet { Hash = desired.Hash, Capabilities = { desired } });
        var first = await NextReport(reconciler);

        File.WriteAllText(Out("db-up"), "");
        Time.Advance(Resync);
        var second = await NextReport(reconciler);

        Assert.Equal(ResourceState.Failed, first.State);
        Assert.Equal(("migrate", "not applied: dependency db failed"), (first.Resources[0].Id, first.Resources[0].Message));
        Assert.Equal(ResourceState.Ready, second.State);
        Assert.Equal(["db", "migrate"], Lines("applied"));
    }

    [Fact]
    public async Task SetDesired_CapabilityNoLongerWanted_ItsDeletesRunDependentsFirst()
    {
        var reconciler = Start();
        var desired = Capability("shop", 1,
            Sh("migrate", "true", delete: $"echo migrate >> '{Out("deleted")}'").DependingOn("db"),
            Sh("db", "true", delete: $"echo db >> '{Out("deleted")}'"));
        reconciler.SetDesired(new DesiredSet { Hash = desired.Hash, Capabilities = { desired } });
        Assert.Equal(ResourceState.Ready, (await NextReport(reconciler)).State);

        reconciler.SetDesired(new DesiredSet { Hash = "empty" });
        var removed = await NextReport(reconciler);

        Assert.True(removed.Removed);
        Assert.Equal(["migrate", "db"], Lines("deleted"));
    }
}
