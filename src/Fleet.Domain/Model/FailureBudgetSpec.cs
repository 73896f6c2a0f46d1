namespace Fleet.Domain.Model;

/// <summary>Failed targets allowed before a rollout stops, decided no earlier than after <see cref="MinSample"/> finished targets.</summary>
public sealed record FailureBudgetSpec
{
    /// <summary>A count or a percentage of the rollout's targets (percentages round down; 0 stops at the first failure).</summary>
    public IntOrPercent? MaxFailures { get; init; }

    public int? MinSample { get; init; }
}
