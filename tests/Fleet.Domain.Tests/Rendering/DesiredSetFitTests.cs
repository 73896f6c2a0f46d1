using Fleet.Domain.Rendering;

namespace Fleet.Domain.Tests.Rendering;

public sealed class DesiredSetFitTests
{
    private static readonly HashSet<string> None = [];

    private static DesiredEntrySize Entry(string key, long bytes) => new(key, bytes, 10);

    [Fact]
    public void Overflowing_AllFit_IsEmpty() =>
        Assert.Empty(DesiredSetFit.Overflowing([Entry("a", 20), Entry("b", 30)], None, 10, 100));

    [Fact]
    public void Overflowing_ExactlyAtTheBound_Fits() =>
        Assert.Empty(DesiredSetFit.Overflowing([Entry("a", 40), Entry("b", 50)], None, 10, 100));

    [Fact]
    public void Overflowing_OneByteOver_FailsTheLastThatDoesNotFit() =>
        Assert.Equal(["b"], DesiredSetFit.Overflowing([Entry("a", 40), Entry("b", 51)], None, 10, 100));

    [Fact]
    public void Overflowing_LaterSmallEntries_StillFitAfterABigOne()
    {
        // The big one fails; the small ones after it are not held back by it.
        var over = DesiredSetFit.Overflowing([Entry("a", 40), Entry("big", 90), Entry("c", 20), Entry("d", 15)], None, 5, 100);
        Assert.Equal(["big"], over);
    }

    [Fact]
    public void Overflowing_DeliveredFirst_ANewcomerDoesNotPushOutWhatRuns()
    {
        // In name order "a" would be kept and "z" failed; "z" already runs there, so the newcomer "a" fails instead.
        var over = DesiredSetFit.Overflowing([Entry("a", 60), Entry("z", 60)], new HashSet<string> { "z" }, 0, 100);
        Assert.Equal(["a"], over);
    }

    [Fact]
    public void Overflowing_Result_AlwaysFitsWithTheFailuresCounted()
    {
        var random = new Random(7);
        for (var round = 0; round < 500; round++)
        {
            var entries = Enumerable.Range(0, random.Next(1, 12)).Select(i => new DesiredEntrySize($"k{i}", random.Next(0, 400), random.Next(1, 20))).ToList();
            var delivered = entries.Where(_ => random.Next(2) == 0).Select(e => e.Key).ToHashSet();
            const long max = 1000;
            const long fixedBytes = 30;

            var over = DesiredSetFit.Overflowing(entries, delivered, fixedBytes, max);

            var total = fixedBytes + entries.Sum(e => over.Contains(e.Key) ? e.FailureBytes : e.Bytes);
            Assert.True(total <= max, $"round {round}: {total} bytes");
            // Nothing is failed that would have fitted in the room left at the end.
            Assert.All(over, key => Assert.True(total - entries.Single(e => e.Key == key).FailureBytes + entries.Single(e => e.Key == key).Bytes > max));
        }
    }

    [Fact]
    public void Overflowing_EntrySmallerThanItsFailure_IsNeverFailed()
    {
        // Failing "tiny" would take more room than sending it; "big" is what has to go.
        var over = DesiredSetFit.Overflowing([new DesiredEntrySize("tiny", 5, 30), new DesiredEntrySize("big", 90, 10)], None, 0, 60);
        Assert.Equal(["big"], over);
    }

    [Fact]
    public void Overflowed_IsFailedWithTheReasonAndAHashOfItsOwn()
    {
        var rendered = new RenderedCapability("big", "big", 3, "sha256:abc", [], null);

        var failed = DesiredSetFit.Overflowed(rendered, "t1", 5_000_000, 4_000_000);

        Assert.Equal(("big", 3L), (failed.Key, failed.Revision));
        Assert.Empty(failed.Resources);
        Assert.Equal("target t1: this capability renders to 5000000 bytes, which with the other capabilities of the target would take its desired set over the 4000000 bytes an agent receives", failed.Error);
        Assert.NotEqual(rendered.Hash, failed.Hash);
        Assert.NotEqual(failed.Hash, DesiredSetFit.Overflowed(rendered with { Hash = "sha256:def" }, "t1", 5_000_000, 4_000_000).Hash);
    }
}
