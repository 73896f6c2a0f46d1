using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;

namespace Fleet.Hub.Storage;

public static class PostgresStorageSiloBuilderExtensions
{
    /// <summary>
    /// Grain state and reminders in the PostgreSQL database of <paramref name="connectionString"/>
    /// (an Npgsql connection string), whose schema is created or upgraded while the silo starts.
    /// Registers the grain storage as <see cref="SqliteStorageSiloBuilderExtensions.GrainStorageName"/>
    /// and as the default, like the embedded storage, so grains do not know which backend they use.
    /// </summary>
    public static ISiloBuilder AddFleetPostgresStorage(this ISiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        builder.AddReminders();
        builder.ConfigureServices(services =>
        {
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton(sp => new PostgresDatabase(connectionString, sp.GetRequiredService<ILogger<PostgresDatabase>>()));
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, PostgresDatabaseLifecycle>();

            services.AddSingleton(sp => new PostgresGrainStorage(
                sp.GetRequiredService<PostgresDatabase>(),
                sp.GetRequiredService<IActivatorProvider>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<PostgresGrainStorage>>()));
            services.AddGrainStorage(SqliteStorageSiloBuilderExtensions.GrainStorageName, (sp, _) => sp.GetRequiredService<PostgresGrainStorage>());
            services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) => sp.GetRequiredService<PostgresGrainStorage>());

            services.AddSingleton<PostgresReminderTable>();
            services.AddSingleton<IReminderTable>(sp => sp.GetRequiredService<PostgresReminderTable>());
            services.ConfigureFleetReminders();
        });
        return builder;
    }
}
