using Fleet.Agent.Drivers.Exec;

namespace Fleet.Agent.Tests.Drivers.Exec;

public sealed class SecretMaskTests
{
    public static TheoryData<string, string[], string> Cases => new()
    {
        { "token=hunter22 again hunter22", ["hunter22"], "token=*** again ***" },
        // Short values are flags and names, not secrets: masking them would blank ordinary output.
        { "env=dev replicas=3", ["dev", "3"], "env=dev replicas=3" },
        // One value inside another: the longer is masked whole.
        { "key=abcd-efgh", ["abcd", "abcd-efgh"], "key=***" },
        // A tail cut inside a secret starts with its end.
        { "…r3t-value then more", ["s3cr3t-value"], "…*** then more" },
        { "…e then more", ["s3cr3t-value"], "…*** then more" },
        // Not cut: a line that merely starts like the end of a secret is left alone.
        { "value then more", ["s3cr3t-value"], "value then more" },
        { "", ["s3cr3t-value"], "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Apply_MasksEveryEnvValueWorthMasking(string text, string[] env, string expected)
    {
        Assert.Equal(expected, SecretMask.Apply(text, SecretMask.Values(env)));
    }
}
