namespace Fleet.Hub.Tests.Storage;

internal enum ProbeStatus
{
    Pending,
    Running,
}
