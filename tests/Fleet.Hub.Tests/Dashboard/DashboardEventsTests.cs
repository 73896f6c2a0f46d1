using Fleet.Protocol.Admin.V1;

namespace Fleet.Hub.Tests.Dashboard;

/// <summary>The dashboard's event stream (<c>/events</c>) of a running hub, read as a browser's EventSource reads it.</summary>
public sealed class DashboardEventsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Events_Opened_AnswersAtOnceWithAHello()
    {
        await using var fleet = await DashboardFleet.StartAsync();
        using var http = new HttpClient { BaseAddress = fleet.Url, Timeout = Timeout.InfiniteTimeSpan };
        using var events = await EventStream.OpenAsync(http);

        Assert.Equal("hello", await events.NextAsync());
    }

    [Fact]
    public async Task Events_RolloutApprovedThroughTheAdminApi_TellTheOpenPages()
    {
        await using var fleet = await DashboardFleet.StartAsync();
        await fleet.StartAgentsAsync(1, _ => ["env=dev"]);
        var applied = await fleet.Fleet.ApplyAsync("""
            apiVersion: fleet/v1alpha1
            kind: Capability
            metadata:
              name: motd
            spec:
              version: "1"
              placement:
                selector:
                  matchLabels: { env: dev }
              resources:
                - id: motd
                  file: { path: etc/motd, content: "motd" }
              rollout:
                waves:
                  - name: all
                    approval: true
            """);
        await Eventually.Holds(async () => (await fleet.Fleet.RolloutAsync(applied.RolloutId)).Phase == RolloutPhase.WaitingApproval, "the rollout waits for an approval");
        using var http = new HttpClient { BaseAddress = fleet.Url, Timeout = Timeout.InfiniteTimeSpan };
        using var events = await EventStream.OpenAsync(http);
        Assert.Equal("hello", await events.NextAsync());

        // As `fleet rollout approve` does it: not through the dashboard.
        await fleet.Fleet.Admin.ApproveRolloutAsync(new GetRequest { Name = applied.RolloutId }, cancellationToken: Cancel);

        while (await events.NextAsync() != "rollout")
        {
            // Target notices of the agent applying the revision may come first.
        }
    }
}
