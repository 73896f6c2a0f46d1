namespace Fleet.Hub.Tests.Security;

/// <summary>One secure hub (and so one CA) shared by the tests of a class: each test uses its own names.</summary>
public sealed class SecureHubFixture : IAsyncLifetime
{
    internal SecureHub Hub { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Hub = await SecureHub.StartAsync();

    public async ValueTask DisposeAsync() => await Hub.DisposeAsync();
}
