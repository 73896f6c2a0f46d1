namespace Fleet.Agent.Drivers.Exec;

/// <summary>The exec resources one capability key has run, in dependency order (removal walks it backwards).</summary>
internal sealed class ExecCapabilityRecord
{
    public long Revision { get; set; }

    public string Hash { get; set; } = "";

    public List<ExecResourceRecord> Resources { get; set; } = [];
}
