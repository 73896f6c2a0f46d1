using Fleet.Agent.Drivers.Exec;
using Fleet.Protocol.Agent.V1;
using static Fleet.Agent.Tests.Drivers.Exec.ExecDesired;

namespace Fleet.Agent.Tests.Drivers.Exec;

/// <summary>State directories written before the drivers shared one inventory keep working as they are.</summary>
public sealed class ExecInventoryFormatTests() : ExecDriverTestBase(NoDelay(0))
{
    [Fact]
    public async Task ConvergeAsync_InventoryOfAnEarlierAgent_IsReadAndWhatSucceededDoesNotRunAgain()
    {
        var resource = Sh("x", $"echo ran >> '{Out("runs")}'", delete: $"echo deleted >> '{Out("runs")}'");
        // Exactly as the agent wrote it before: nulls written out, no run pid.
        var earlier = $$"""
            {
              "version": 1,
              "capabilities": {
                "job": {
                  "revision": 1,
                  "hash": "h",
                  "resources": [
                    {
                      "id": "x", "hash": "{{resource.Hash}}", "succeeded": true, "revision": 1, "ranAt": "2026-11-24T08:00:00+00:00",
                      "message": "exit code 0", "exitCode": null, "stdoutTail": "", "stderrTail": "", "dependsOn": [],
                      "delete": ["/bin/sh", "-c", "echo deleted >> '{{Out("runs")}}'"], "env": {}, "timeoutSeconds": 30
                    }
                  ]
                }
              }
            }
            """;
        await File.WriteAllTextAsync(Path.Combine(Dir.State, ExecDriver.InventoryFileName), earlier, Ct);

        var driver = NewDriver();
        Assert.Equal(["job"], driver.OwnedCapabilities);
        Assert.Equal(ResourceState.Ready, (await driver.ConvergeAsync(Capability("job", 1, resource), Ct)).State);
        Assert.Empty(Lines("runs"));
        Assert.True((await driver.RemoveAsync("job", Ct)).Removed);
        Assert.Equal(["deleted"], Lines("runs"));
    }
}
