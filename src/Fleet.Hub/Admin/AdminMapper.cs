using Fleet.Domain.Diagnostics;
using Fleet.Hub.Capabilities;
using Fleet.Hub.Instances;
using Fleet.Hub.Rollouts;
using Fleet.Hub.Targets;
using Fleet.Protocol.Admin.V1;
using Google.Protobuf.WellKnownTypes;
using DomainCapabilityState = Fleet.Domain.Targets.TargetCapabilityState;
using DomainPhase = Fleet.Domain.Rollouts.RolloutPhase;
using DomainTargetState = Fleet.Domain.Rollouts.RolloutTargetState;
using WireCapabilityState = Fleet.Protocol.Admin.V1.TargetCapabilityState;
using WirePhase = Fleet.Protocol.Admin.V1.RolloutPhase;
using WireTargetState = Fleet.Protocol.Admin.V1.RolloutTargetState;

namespace Fleet.Hub.Admin;

/// <summary>Grain views to the operator wire format.</summary>
internal static class AdminMapper
{
    public static Target ToMessage(TargetView view)
    {
        var target = new Target { Name = view.Name, Driver = view.Driver, Connected = view.Connected };
        target.Labels.Add(view.Labels);
        target.Facts.Add(view.Facts);
        if (view.LastSeen is { } seen)
        {
            target.LastSeen = Timestamp.FromDateTimeOffset(seen);
        }

        foreach (var (key, capability) in view.Capabilities)
        {
            target.Capabilities[key] = new TargetCapability
            {
                Revision = capability.Revision,
                State = ToMessage(capability.State),
                Message = capability.Message,
                DesiredRevision = capability.DesiredRevision,
            };
        }

        return target;
    }

    public static Capability ToMessage(CapabilityView view, int targets)
    {
        var capability = new Capability
        {
            Name = view.Name,
            Version = view.Version,
            Revision = view.Revision,
            StableRevision = view.StableRevision,
            Targets = targets,
            ActiveRollout = view.ActiveRollout ?? "",
            Created = Timestamp.FromDateTimeOffset(view.Created),
        };
        capability.Revisions.Add(view.Revisions);
        return capability;
    }

    public static Instance ToMessage(InstanceView view, int targets)
    {
        var instance = new Instance
        {
            Name = view.Name,
            Capability = view.Capability,
            Key = view.Key,
            Revision = view.Revision,
            StableRevision = view.StableRevision,
            CapabilityRevision = view.CapabilityRevision,
            InputsJson = view.InputsJson,
            Targets = targets,
            ActiveRollout = view.ActiveRollout ?? "",
            Created = Timestamp.FromDateTimeOffset(view.Created),
        };
        instance.Revisions.Add(view.Revisions);
        return instance;
    }

    public static Rollout ToMessage(RolloutView view)
    {
        var (capabilityName, instance) = DeliveryKeys.Split(view.Capability);
        var rollout = new Rollout
        {
            Id = view.Id,
            Capability = capabilityName,
            Instance = instance ?? "",
            FromRevision = view.FromRevision,
            ToRevision = view.ToRevision,
            Phase = ToMessage(view.Phase),
            Message = view.Message,
            Created = Timestamp.FromDateTimeOffset(view.Created),
            MaxUnavailable = view.MaxUnavailable,
            Gate = view.Gate,
            RollingBack = view.RollingBack,
            UndoOf = view.UndoOf ?? "",
            Updated = Timestamp.FromDateTimeOffset(view.Updated),
            Counts = new RolloutCounts
            {
                Total = view.Total,
                Succeeded = view.Succeeded,
                Failed = view.Failed,
                InProgress = view.InProgress,
                Pending = view.Pending,
                Skipped = view.Skipped,
            },
        };
        if (view.Eta is { } eta)
        {
            rollout.Eta = Timestamp.FromDateTimeOffset(eta);
        }

        foreach (var wave in view.Waves)
        {
            var message = new RolloutWave { Name = wave.Name, Phase = ToMessage(wave.Phase), MaxUnavailable = wave.MaxUnavailable, SoakSeconds = wave.SoakSeconds, Approval = wave.Approval };
            message.Targets.Add(wave.Targets.Select(t => new RolloutTarget { Name = t.Name, State = ToMessage(t.State), Message = t.Message, Action = t.Action }));
            rollout.Waves.Add(message);
        }

        return rollout;
    }

    public static WireCapabilityState ToMessage(DomainCapabilityState state) => EnumByName<DomainCapabilityState, WireCapabilityState>.Map(state);

    public static WirePhase ToMessage(DomainPhase phase) => EnumByName<DomainPhase, WirePhase>.Map(phase);

    public static WireTargetState ToMessage(DomainTargetState state) => EnumByName<DomainTargetState, WireTargetState>.Map(state);

    public static Protocol.Admin.V1.Diagnostic ToMessage(Domain.Diagnostics.Diagnostic diagnostic) => new()
    {
        Source = diagnostic.Source,
        Line = diagnostic.Line,
        Column = diagnostic.Column,
        Field = diagnostic.Field,
        Message = diagnostic.Message,
    };
}
