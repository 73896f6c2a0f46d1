using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Fleet.Hub.Storage;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;

namespace Fleet.Hub.Tests.Storage;

internal static class StorageTestServices
{
    private static readonly Lazy<IActivatorProvider> Activators = new(() =>
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<IActivatorProvider>());

    public static SqliteGrainStorage CreateGrainStorage(SqliteDatabase database) =>
        new(database, Activators.Value, TimeProvider.System, NullLogger<SqliteGrainStorage>.Instance);

    public static PostgresGrainStorage CreateGrainStorage(PostgresDatabase database) =>
        new(database, Activators.Value, TimeProvider.System, NullLogger<PostgresGrainStorage>.Instance);
}
