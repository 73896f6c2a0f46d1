using System.Collections.Concurrent;

namespace Fleet.Hub.Tests.Storage;

/// <summary>Lets a test await the first reminder tick that a silo delivers to a grain.</summary>
internal sealed class ReminderProbe
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ReminderTick>> _ticks = new();

    public Task<ReminderTick> FirstTick(string grainKey) => Completion(grainKey).Task;

    public void Record(string grainKey, string reminderName, string stateName) =>
        Completion(grainKey).TrySetResult(new ReminderTick(reminderName, stateName));

    private TaskCompletionSource<ReminderTick> Completion(string grainKey) =>
        _ticks.GetOrAdd(grainKey, _ => new TaskCompletionSource<ReminderTick>(TaskCreationOptions.RunContinuationsAsynchronously));
}
