using System.Data.Common;

namespace Fleet.Hub.Storage;

/// <summary>
/// Which rows of the hub's tables belong to this hub. In PostgreSQL several hubs may share one database
/// under different <c>--cluster-id</c>s: every table has a <c>cluster_id</c> column, first in its primary
/// key, and every statement reads and writes only the node's own cluster. SQLite's database belongs to
/// one hub and has no such column (<see cref="Unscoped"/>). The SQL both backends share puts these
/// fragments where the column goes, so one statement serves both.
/// </summary>
internal sealed class ClusterScope
{
    private ClusterScope(string? clusterId) => ClusterId = clusterId;

    /// <summary>A database that belongs to one hub (SQLite): the fragments are empty.</summary>
    public static ClusterScope Unscoped { get; } = new(null);

    /// <summary>The cluster's column value; null when <see cref="Unscoped"/>.</summary>
    public string? ClusterId { get; }

    /// <summary>A condition to put first in a <c>WHERE</c>: <c>cluster_id = @clusterId AND </c>.</summary>
    public string Filter => ClusterId is null ? "" : "cluster_id = @clusterId AND ";

    /// <summary>The column to put first in a column list or a conflict target: <c>cluster_id, </c>.</summary>
    public string Column => ClusterId is null ? "" : "cluster_id, ";

    /// <summary>The value to put first in a <c>VALUES</c> list: <c>@clusterId, </c>.</summary>
    public string Value => ClusterId is null ? "" : "@clusterId, ";

    public static ClusterScope Of(string clusterId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        return new ClusterScope(clusterId);
    }

    /// <summary>Binds <c>@clusterId</c> when the fragments use it.</summary>
    public DbCommand Bind(DbCommand command) => ClusterId is null ? command : command.With("@clusterId", ClusterId);
}
