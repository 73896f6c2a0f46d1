using Fleet.Domain.Model;

namespace Fleet.Domain.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void IntOrPercent_Percent_RoundsUp() => Assert.Equal(2, new IntOrPercent(25, true).Resolve(5));
}
