namespace Fleet.Hub.Security;

/// <summary>One line of the audit log: who did what to which object, when, and how it ended.</summary>
internal sealed record AuditRecord(
    long Sequence,
    DateTimeOffset Time,
    string Who,
    string Role,
    string Method,
    string Object,
    string Outcome,
    string Detail);
