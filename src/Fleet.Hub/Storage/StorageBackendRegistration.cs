using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Fleet.Hub.Storage;

/// <summary>What every storage backend of the hub registers alike in the silo.</summary>
internal static class StorageBackendRegistration
{
    /// <summary>
    /// Registers a backend: its database (made ready while the silo starts), its grain storage as
    /// <see cref="SqliteStorageSiloBuilderExtensions.GrainStorageName"/> and as the default, so grains
    /// do not know which backend they use, and the reminder service on its reminder table.
    /// </summary>
    public static ISiloBuilder AddStorageBackend<TDatabase, TGrainStorage, TReminderTable>(
        this ISiloBuilder builder, Func<IServiceProvider, TDatabase> createDatabase)
        where TDatabase : class, IStorageDatabase
        where TGrainStorage : class, IGrainStorage
        where TReminderTable : class, IReminderTable
    {
        builder.AddReminders();
        builder.ConfigureServices(services =>
        {
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton(createDatabase);
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, StorageDatabaseLifecycle<TDatabase>>();

            // One instance behind both names, so "fleet" and the default share the same writer.
            services.AddSingleton<TGrainStorage>();
            services.AddGrainStorage(SqliteStorageSiloBuilderExtensions.GrainStorageName, (sp, _) => sp.GetRequiredService<TGrainStorage>());
            services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) => sp.GetRequiredService<TGrainStorage>());

            services.AddSingleton<TReminderTable>();
            services.AddSingleton<IReminderTable>(sp => sp.GetRequiredService<TReminderTable>());
            services.ConfigureFleetReminders();
        });
        return builder;
    }
}
