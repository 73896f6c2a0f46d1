namespace Fleet.Domain.Rollouts;

public enum OnFailure
{
    Pause,
    Rollback,
}
