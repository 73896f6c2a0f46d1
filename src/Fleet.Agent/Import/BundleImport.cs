using System.Security.Cryptography;
using Fleet.Agent.Drivers;
using Fleet.Agent.Drivers.Pipeline;
using Fleet.Agent.Hosting;
using Fleet.Agent.Runtime;
using Fleet.Protocol;
using Fleet.Protocol.Agent.V1;
using Fleet.Protocol.Bundle.V1;
using Fleet.Protocol.Bundles;
using Google.Protobuf;

namespace Fleet.Agent.Import;

/// <summary>
/// <c>fleet-agent --import FILE --report-out REPORT</c> (SPEC §9): an air-gapped target takes one signed desired
/// bundle. Everything is checked before anything is touched — the identity in the state directory, the signature
/// (with its <c>ca.crt</c>), the target name, a sequence greater than the last imported one — and a refusal changes
/// nothing. Then the set is applied by the reconciler's own pass with the <c>--driver</c> the online agent would use,
/// the reports of that pass are signed with the target's key into REPORT, and the sequence is recorded last, so an
/// import cut short (no report written) can be run again with the same bundle.
/// </summary>
/// <remarks>
/// Exit codes: <see cref="Applied"/> when every capability is Ready (or removed); <see cref="NotReady"/> when the
/// report was written but some capability is Failed or still applying — the report says so, and it is to be taken
/// to the hub all the same, where the target and its rollout show it; <see cref="Refused"/> when the bundle or the
/// state directory is refused and nothing was applied. Another failure (the disk, the driver's target unreachable
/// before the pass) is exit 1 with no report and no sequence recorded.
/// </remarks>
internal sealed partial class BundleImport(AgentOptions options, ILoggerFactory loggers, TextWriter output, TextWriter error, TimeProvider? time = null)
{
    public const int Applied = 0;
    public const int NotReady = 1;
    public const int Refused = 2;

    /// <summary>The lock file that keeps two imports into one state directory from both passing the sequence check.</summary>
    public const string LockFileName = "import.lock";

    /// <summary>How long an import waits for what is applied but not yet ready (a Deployment rolling out) before it reports it as it is.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMinutes(5);

    /// <summary>Observed state the whole report may carry: well inside one bundle file, whatever the number of capabilities.</summary>
    private const int ObservedBudget = BundleLimits.MaxBundleBytes / 2;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var bundlePath = options.ImportFile!;
        var reportPath = options.ReportFile!;
        if (!Directory.Exists(options.StateDirectory))
        {
            return Refuse($"{options.StateDirectory} does not exist: --state-dir must be the directory fleet target create {options.Name} --offline wrote");
        }

        using var identity = OfflineIdentity.Load(options.StateDirectory, options.Name, out var problem);
        if (identity is null)
        {
            return Refuse(problem!);
        }

        if (BundleFile.TryRead(bundlePath, out var file) is { } unreadable)
        {
            return Refuse(unreadable.Message);
        }

        var verified = BundleVerifier.VerifyDesired(file, identity.Signer, options.Name);
        if (!verified.IsAccepted)
        {
            return Refuse($"{bundlePath}: {verified.Refusal.Message}");
        }

        var bundle = verified.Bundle;
        if (!OwnerOnlyDirectory.Ensure(options.StateDirectory))
        {
            LogStateDirectoryShared(loggers.CreateLogger<BundleImport>(), options.StateDirectory);
        }

        using var exclusive = Lock();
        if (exclusive is null)
        {
            return Refuse($"another fleet-agent --import is running on {options.StateDirectory}: wait for it to end");
        }

        var sequence = new ImportedSequence(options.StateDirectory);
        var last = sequence.Load();
        if (bundle.Sequence <= last)
        {
            return Refuse($"{bundlePath}: bundle {bundle.Sequence} is not newer than bundle {last}, the last one imported: an older bundle, or the same one again; export a new one");
        }

        if (identity.Target.NotAfter.ToUniversalTime() < _time.GetUtcNow().UtcDateTime)
        {
            // Applied all the same: the target must run what it was sent; the hub decides about the report.
            error.WriteLine($"warning: the target certificate expired at {identity.Target.NotAfter.ToUniversalTime():u} (by this machine's clock): the hub will refuse the report unless its clock says otherwise");
        }

        var driver = TargetDrivers.Create(options, _time, loggers);
        var reconciler = new Reconciler(driver, new DesiredStateStore(options.StateDirectory), new ReportOutbox(options.StateDirectory), options.Resync, _time, loggers.CreateLogger<Reconciler>());
        var reports = await reconciler.ConvergeOnceAsync(bundle.Desired, Settle, cancellationToken);

        var report = new ReportBundle
        {
            Target = options.Name,
            Sequence = bundle.Sequence,
            ReportId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            CreatedUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds(),
            Driver = driver.Name,
            AgentVersion = HubSession.AgentVersion,
            Reports = { reports.Select(r => r.Clone()) },
        };
        ObservedState.Fit(report.Reports, ObservedBudget);
        AtomicFile.Write(reportPath, BundleSigner.SignReport(report, identity.Target).ToByteArray(), OwnerOnlyDirectory.FileMode);
        sequence.Save(bundle.Sequence);
        // Carried by the report bundle: a later import's report holds only what happens then.
        reconciler.Outbox.Acknowledge(reconciler.Outbox.LastSequence);
        return Summarize(bundle, report, reportPath);
    }

    private int Summarize(DesiredBundle bundle, ReportBundle report, string reportPath)
    {
        var final = new Dictionary<string, CapabilityReport>(StringComparer.Ordinal);
        foreach (var capability in report.Reports)
        {
            final[capability.Key] = capability;
        }

        var notReady = final.Values.Where(r => !r.Removed && r.State != ResourceState.Ready).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        var ready = final.Values.Count(r => !r.Removed && r.State == ResourceState.Ready);
        var removed = final.Values.Count(r => r.Removed);
        output.WriteLine($"{options.Name}: bundle {bundle.Sequence} applied: {ready} ready, {notReady.Count} not ready, {removed} removed; report written to {reportPath}");
        foreach (var capability in notReady)
        {
            error.WriteLine($"error: {capability.Key} revision {capability.Revision} is {Describe(capability.State)}{(capability.Message.Length > 0 ? ": " + capability.Message : "")} (the report says so: take it to the hub all the same)");
        }

        return notReady.Count == 0 ? Applied : NotReady;
    }

    private static string Describe(ResourceState state) => state switch
    {
        ResourceState.Failed => "Failed",
        ResourceState.Applying => "still applying",
        ResourceState.Pending => "Pending",
        ResourceState.Drifted => "Drifted",
        _ => state.ToString(),
    };

    private int Refuse(string reason)
    {
        error.WriteLine($"error: {reason}; nothing was applied");
        return Refused;
    }

    /// <summary>The state directory's import lock (an advisory lock on the file), or null when another import holds it.</summary>
    private FileStream? Lock()
    {
        var lockOptions = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            lockOptions.UnixCreateMode = OwnerOnlyDirectory.FileMode;
        }

        try
        {
            return new FileStream(Path.Combine(options.StateDirectory, LockFileName), lockOptions);
        }
        catch (IOException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The state directory {Directory} belongs to another user: the agent cannot make it 0700 (its files are 0600 nonetheless)")]
    private static partial void LogStateDirectoryShared(ILogger logger, string directory);
}
