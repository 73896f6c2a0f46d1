namespace Fleet.Hub.Tests.Storage;

internal sealed record ProbeStep(string Target, int Revision);
