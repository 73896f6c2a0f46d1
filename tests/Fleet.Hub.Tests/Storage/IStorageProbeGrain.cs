namespace Fleet.Hub.Tests.Storage;

internal interface IStorageProbeGrain : IGrainWithStringKey
{
    /// <summary>Persists <paramref name="name"/> in the "fleet" state and in a state on the default storage.</summary>
    Task SaveAsync(string name);

    /// <summary>The names the activation holds in its "fleet" and default-storage states.</summary>
    Task<string[]> LoadAsync();

    Task StartReminderAsync(TimeSpan dueTime, TimeSpan period);
}
