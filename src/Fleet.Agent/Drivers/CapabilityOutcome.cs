using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Drivers;

/// <summary>The capability-level state every driver derives the same way from its resource reports.</summary>
internal static class CapabilityOutcome
{
    /// <summary>
    /// A capability none of whose resources is touched (a render error the hub found, dependencies that cannot be
    /// ordered): Failed, each resource Failed saying why, and nothing applied or removed on the target.
    /// </summary>
    public static CapabilityReport NotApplied(DesiredCapability desired, string reason)
    {
        var report = new CapabilityReport { Key = desired.Key, Revision = desired.Revision, Hash = desired.Hash, State = ResourceState.Failed, Message = reason };
        foreach (var resource in desired.Resources)
        {
            report.Resources.Add(new ResourceReport { Id = resource.Id, Hash = resource.Hash, State = ResourceState.Failed, Message = "not applied: " + reason });
        }

        return report;
    }

    /// <summary>
    /// Failed when a resource failed or something beside them did (<paramref name="otherFailures"/>: a prune, saving
    /// the inventory); else Applying while a resource is on its way (applied and not ready yet, or waiting for a
    /// dependency) or something else is (<paramref name="otherWaiting"/>: a removal held for a dependent), since the
    /// capability is then neither broken nor done; else Ready. Resource reports are put in the order of
    /// <paramref name="desired"/>, whatever order they were applied in.
    /// </summary>
    public static CapabilityReport Finish(
        CapabilityReport report,
        DesiredCapability? desired = null,
        IReadOnlyCollection<string>? otherFailures = null,
        IReadOnlyCollection<string>? otherWaiting = null)
    {
        if (desired is not null)
        {
            // Positions per id, taken in turn: a duplicated id's reports keep their own places, not the first one's.
            var positions = new Dictionary<string, Queue<int>>(StringComparer.Ordinal);
            for (var i = 0; i < desired.Resources.Count; i++)
            {
                var id = desired.Resources[i].Id;
                if (!positions.TryGetValue(id, out var queue))
                {
                    positions[id] = queue = new Queue<int>();
                }

                queue.Enqueue(i);
            }

            var sorted = report.Resources
                .Select(r => (Report: r, Position: positions.TryGetValue(r.Id, out var queue) && queue.TryDequeue(out var i) ? i : int.MaxValue))
                .OrderBy(x => x.Position)
                .Select(x => x.Report)
                .ToList();
            report.Resources.Clear();
            report.Resources.Add(sorted);
        }

        var failures = report.Resources.Where(r => r.State == ResourceState.Failed).Select(r => $"{Display(r.Id)}: {r.Message}")
            .Concat(otherFailures ?? [])
            .ToList();
        var waiting = report.Resources.Where(r => r.State is ResourceState.Applying or ResourceState.Pending).Select(w => $"{Display(w.Id)}: {w.Message}")
            .Concat(otherWaiting ?? [])
            .ToList();
        (report.State, report.Message) = failures.Count > 0
            ? (ResourceState.Failed, $"{failures.Count} failed: {string.Join("; ", failures.Concat(waiting))}")
            : waiting.Count > 0
                ? (ResourceState.Applying, string.Join("; ", waiting))
                : (ResourceState.Ready, "");
        return report;
    }

    /// <summary>A resource id as messages name it: an empty one (which the wire may carry) as "(no id)".</summary>
    public static string Display(string id) => id.Length == 0 ? "(no id)" : id;
}
