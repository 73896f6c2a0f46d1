using Fleet.Domain.Serialization;

namespace Fleet.Domain.Tests.Serialization;

public sealed class ContentHashTests
{
    [Theory]
    [InlineData("", "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    public void Of_KnownText_GivesTheSha256(string text, string expected) => Assert.Equal(expected, ContentHash.Of(text));

    [Fact]
    public void Of_CanonicalJson_IsStableAcrossRoundTrips()
    {
        var first = ContentHash.Of(CapabilitySpecJson.Serialize(Specs.Full()));
        var again = ContentHash.Of(CapabilitySpecJson.Serialize(CapabilitySpecJson.Deserialize(CapabilitySpecJson.Serialize(Specs.Full()))));
        Assert.Equal(first, again);
        Assert.NotEqual(first, ContentHash.Of(CapabilitySpecJson.Serialize(Specs.Full() with { Version = "2" })));
    }
}
