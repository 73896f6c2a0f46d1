using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Drivers.Git;

internal sealed partial class GitDriver
{
    [LoggerMessage(601, LogLevel.Debug, "git: {CapabilityKey}/{ResourceId} wrote {Path}")]
    private partial void LogWrote(string capabilityKey, string resourceId, string path);

    [LoggerMessage(602, LogLevel.Debug, "git: {CapabilityKey}/{ResourceId} deleted {Path}")]
    private partial void LogDeleted(string capabilityKey, string resourceId, string path);

    [LoggerMessage(603, LogLevel.Information, "git: {CapabilityKey} revision {Revision} pushed in commit {Commit} to {Branch}")]
    private partial void LogPushed(string capabilityKey, long revision, string commit, string branch);

    [LoggerMessage(604, LogLevel.Warning, "git: {CapabilityKey}/{ResourceId} drifted: {Path}: {Difference}")]
    private partial void LogDrifted(string capabilityKey, string resourceId, string path, string difference);
}
