using System.Text;
using System.Text.Json.Nodes;
using Fleet.Agent.Drivers;
using Fleet.Protocol.Agent.V1;
using Google.Protobuf;

namespace Fleet.Agent.Tests.Drivers;

public sealed class ObservedStateTests
{
    private static JsonObject Sized(int bytes) => new() { ["v"] = new string('x', bytes - """{"v":""}""".Length) };

    [Theory]
    [InlineData(100, "")]
    [InlineData(ObservedState.MaxBytes, "")]
    [InlineData(ObservedState.MaxBytes + 1, "observed state omitted: 65537 bytes, more than the 65536 a resource report carries")]
    public void Attach_AtMostMaxBytes_IsKeptAndLargerIsLeftOutWithANote(int bytes, string note)
    {
        var report = ObservedState.Attach(new ResourceReport { Id = "a" }, Sized(bytes));

        Assert.Equal(note, report.Message);
        Assert.Equal(note.Length == 0 ? bytes : 0, Encoding.UTF8.GetByteCount(report.ObservedJson));
    }

    [Fact]
    public void Attach_CountsUtf8BytesNotCharactersAndKeepsTextReadable()
    {
        var report = ObservedState.Attach(new ResourceReport { Message = "exit code 0" }, new JsonObject { ["v"] = new string('é', ObservedState.MaxBytes / 2) });

        Assert.Empty(report.ObservedJson);
        Assert.StartsWith("exit code 0; observed state omitted: 65544 bytes", report.Message, StringComparison.Ordinal);
        Assert.Equal("""{"tail":"<ok> ü"}""", ObservedState.Attach(new ResourceReport(), new JsonObject { ["tail"] = "<ok> ü" }).ObservedJson);
    }

    [Fact]
    public void Fit_ReportOverItsBudget_KeepsResourcesInOrderUntilItIsSpentAndNotesTheRest()
    {
        var report = new CapabilityReport { Key = "big" };
        for (var i = 0; i < 20; i++)
        {
            report.Resources.Add(ObservedState.Attach(new ResourceReport { Id = $"r{i}" }, Sized(ObservedState.MaxBytes)));
        }

        ObservedState.Fit(report);

        var kept = report.Resources.TakeWhile(r => r.ObservedJson.Length > 0).Count();
        Assert.Equal(ObservedState.MaxReportBytes / ObservedState.MaxBytes, kept);
        Assert.All(report.Resources.Skip(kept), r => Assert.Equal(("", "observed state omitted: the 1048576 bytes one message carries for it are used up by other resources"), (r.ObservedJson, r.Message)));
        Assert.InRange(report.CalculateSize(), ObservedState.MaxReportBytes, ObservedState.MaxReportBytes + 20_000);
    }

    [Fact]
    public void Fit_HelloOfManyReports_StaysWithinTheHelloBudget()
    {
        var reports = Enumerable.Range(0, 10).Select(i =>
        {
            var report = new CapabilityReport { Key = $"c{i}" };
            for (var j = 0; j < 10; j++)
            {
                report.Resources.Add(ObservedState.Attach(new ResourceReport { Id = $"r{j}" }, Sized(60_000)));
            }

            ObservedState.Fit(report);
            return report;
        }).ToList();
        var hello = new Hello { Name = "t", Current = { reports } };

        ObservedState.Fit(hello.Current, ObservedState.MaxHelloBytes);

        Assert.InRange(hello.Current.SelectMany(r => r.Resources).Sum(r => r.ObservedJson.Length), ObservedState.MaxHelloBytes - 60_000, ObservedState.MaxHelloBytes);
        Assert.True(hello.CalculateSize() < 4 * 1024 * 1024, "a hello must fit the hub's 4 MiB message limit");
        Assert.NotEmpty(hello.Current[0].Resources[0].ObservedJson);
        Assert.Empty(hello.Current[^1].Resources[^1].ObservedJson);
    }
}
