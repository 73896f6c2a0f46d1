using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Drivers.Files;

internal sealed partial class FilesDriver
{

    [LoggerMessage(2, LogLevel.Debug, "Wrote {Path} ({Bytes} bytes, mode {Mode}) for {CapabilityKey}/{ResourceId}")]
    private partial void LogWrote(string capabilityKey, string resourceId, string path, string mode, int bytes);

    [LoggerMessage(3, LogLevel.Debug, "Deleted {Path} of {CapabilityKey}/{ResourceId}")]
    private partial void LogDeleted(string capabilityKey, string resourceId, string path);

    [LoggerMessage(4, LogLevel.Warning, "Resource {CapabilityKey}/{ResourceId} failed: {Error}")]
    private partial void LogResourceFailed(string capabilityKey, string resourceId, string error);


    [LoggerMessage(6, LogLevel.Warning, "Forgot inventory entry {Path} of {CapabilityKey}: the path is not inside the root, so it is not deleted")]
    private partial void LogForgotInvalidPath(string capabilityKey, string path);



    [LoggerMessage(9, LogLevel.Warning, "{CapabilityKey}/{ResourceId} drifted: {Path} {Difference}; correcting it")]
    private partial void LogDrifted(string capabilityKey, string resourceId, string path, string difference);
}
