namespace Fleet.Hub.Hosting.Health;

/// <summary>One cheap question to the storage backend, for readiness: it completes when the storage answered, else throws.</summary>
internal interface IStorageProbe
{
    Task ProbeAsync(CancellationToken cancellationToken);
}
