namespace Fleet.Hub.Hosting.Health;

/// <summary>What <c>/readyz</c> answers: ready, or not with a one-line reason (<c>storage unavailable: ...</c>).</summary>
/// <param name="CheckedAt">When the check finished, so an answer is reused only briefly.</param>
internal sealed record Readiness(bool Ready, string Reason, DateTimeOffset CheckedAt);
