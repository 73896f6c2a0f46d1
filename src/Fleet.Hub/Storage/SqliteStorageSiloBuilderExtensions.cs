using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;

namespace Fleet.Hub.Storage;

public static class SqliteStorageSiloBuilderExtensions
{
    /// <summary>The grain storage name for <c>[PersistentState(name, GrainStorageName)]</c>.</summary>
    public const string GrainStorageName = "fleet";

    /// <summary>
    /// The embedded storage of a single hub node: grain state and reminders in
    /// <c>&lt;dataDirectory&gt;/fleet.db</c> (created if missing). Registers the grain storage as
    /// <see cref="GrainStorageName"/> and as the default, and the reminder service on a SQLite
    /// reminder table.
    /// </summary>
    public static ISiloBuilder AddFleetSqliteStorage(this ISiloBuilder builder, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);

        builder.AddReminders();
        builder.ConfigureServices(services =>
        {
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton(sp => new SqliteDatabase(dataDirectory, sp.GetRequiredService<ILogger<SqliteDatabase>>()));
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SqliteDatabaseLifecycle>();

            // One instance behind both names, so "fleet" and the default share the same writer.
            services.AddSingleton(sp => new SqliteGrainStorage(
                sp.GetRequiredService<SqliteDatabase>(),
                sp.GetRequiredService<IActivatorProvider>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<SqliteGrainStorage>>()));
            services.AddGrainStorage(GrainStorageName, (sp, _) => sp.GetRequiredService<SqliteGrainStorage>());
            services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) => sp.GetRequiredService<SqliteGrainStorage>());

            services.AddSingleton<SqliteReminderTable>();
            services.AddSingleton<IReminderTable>(sp => sp.GetRequiredService<SqliteReminderTable>());

            services.ConfigureFleetReminders();
        });
        return builder;
    }
}
