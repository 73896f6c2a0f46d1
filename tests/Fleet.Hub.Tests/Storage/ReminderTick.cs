namespace Fleet.Hub.Tests.Storage;

internal sealed record ReminderTick(string ReminderName, string StateName);
