namespace Fleet.Domain.Tests.Expressions;

/// <summary>Variables in the documented value model, shared by the expression and template tests.</summary>
internal static class Vars
{
    public static IReadOnlyDictionary<string, object?> Target(string name = "a1", string? tier = null, string env = "dev")
    {
        var labels = new Dictionary<string, object?> { ["env"] = env, ["region"] = "eu" };
        if (tier is not null)
        {
            labels["tier"] = tier;
        }

        return new Dictionary<string, object?>
        {
            ["target"] = new Dictionary<string, object?>
            {
                ["name"] = name,
                ["labels"] = labels,
                ["facts"] = new Dictionary<string, object?> { ["os"] = "linux" },
                ["driver"] = "files",
            },
            ["n"] = 3L,
            ["d"] = 3.0,
            ["yes"] = true,
            ["no"] = false,
            ["nothing"] = null,
            ["items"] = new List<object?> { "x", 2L, true },
        };
    }
}
