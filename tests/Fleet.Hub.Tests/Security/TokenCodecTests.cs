using Fleet.Hub.Security;

namespace Fleet.Hub.Tests.Security;

public sealed class TokenCodecTests
{
    [Fact]
    public void Create_ThenParse_GivesTheSameIdAndHash_AndEachTokenIsNew()
    {
        var (token, id, hash) = TokenCodec.Create();
        var (other, otherId, _) = TokenCodec.Create();

        var parsed = TokenCodec.Parse(token);

        Assert.NotNull(parsed);
        Assert.Equal(id, parsed.Value.Id);
        Assert.True(TokenCodec.Matches(hash, parsed.Value.Hash));
        Assert.NotEqual(token, other);
        Assert.NotEqual(id, otherId);
        Assert.StartsWith("fleet_", token);
    }

    [Theory]
    [InlineData("")]
    [InlineData("fleet_")]
    [InlineData("Bearer x")]
    [InlineData("fleet_0123456789ABCDEF_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("fleet_0123456789abcdef-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("fleet_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!")]
    [InlineData("fleet_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Parse_Malformed_IsNull(string token) => Assert.Null(TokenCodec.Parse(token));

    [Fact]
    public void AWrongSecret_DoesNotMatch()
    {
        var (token, _, hash) = TokenCodec.Create();
        var tampered = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');

        Assert.False(TokenCodec.Matches(hash, TokenCodec.Parse(tampered)!.Value.Hash));
    }
}
