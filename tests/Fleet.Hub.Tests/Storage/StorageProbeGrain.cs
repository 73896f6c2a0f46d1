namespace Fleet.Hub.Tests.Storage;

internal sealed class StorageProbeGrain(
    [PersistentState("state", "fleet")] IPersistentState<ProbeState> state,
    [PersistentState("defaulted")] IPersistentState<ProbeState> defaulted,
    ReminderProbe probe) : Grain, IStorageProbeGrain, IRemindable
{
    public const string ReminderName = "probe";

    public async Task SaveAsync(string name)
    {
        state.State.Name = name;
        state.State.Count++;
        await state.WriteStateAsync();
        defaulted.State.Name = name;
        await defaulted.WriteStateAsync();
    }

    public Task<string[]> LoadAsync() => Task.FromResult(new[] { state.State.Name, defaulted.State.Name });

    public Task StartReminderAsync(TimeSpan dueTime, TimeSpan period) =>
        this.RegisterOrUpdateReminder(ReminderName, dueTime, period);

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // What the activation loaded from storage proves the tick came to a grain with its state.
        probe.Record(this.GetPrimaryKeyString(), reminderName, state.State.Name);
        return Task.CompletedTask;
    }
}
