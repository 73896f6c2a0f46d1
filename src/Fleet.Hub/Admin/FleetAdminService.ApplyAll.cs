using System.Text;
using Fleet.Domain.Yaml;
using Fleet.Hub.Capabilities;
using Fleet.Hub.Instances;
using Fleet.Hub.Storage;
using Fleet.Protocol;
using Fleet.Protocol.Admin.V1;
using Grpc.Core;

namespace Fleet.Hub.Admin;

/// <summary>
/// <c>fleet apply</c> of many documents as one request: every document is checked against the hub, against the others
/// (duplicates, instances of capabilities defined alongside, desired sets they fill together) and nothing is stored
/// unless all pass; then all are stored. One round trip, so the operator rate limit counts one call per apply.
/// </summary>
/// <remarks>
/// Stores are per grain, without a transaction across them. What is checked is what the stores check, so a store fails
/// midway only when storage fails or another operator changed an object between the check and the store. Then what
/// this request created is deleted again (instances first), and the answer names what it could not take back: a new
/// revision of an object that existed before (its rollout started) is kept, as it is after any acknowledged apply.
/// </remarks>
internal sealed partial class FleetAdminService
{
    public override async Task<ApplyAllResponse> ApplyAll(ApplyAllRequest request, ServerCallContext context)
    {
        if (request.Documents.Count == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "no documents to apply"));
        }

        var bytes = request.Documents.Sum(d => (long)Encoding.UTF8.GetByteCount(d.Yaml));
        if (ApplyLimits.TooLarge(request.Documents.Count, bytes) is { } tooLarge)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, tooLarge));
        }

        foreach (var document in request.Documents)
        {
            RequireDocumentSize(document);
        }

        using var activity = Observability.FleetActivity.Source.StartActivity("fleet.apply_all");
        activity?.SetTag("fleet.documents", request.Documents.Count).SetTag("fleet.dry_run", request.DryRun);
        var documents = request.Documents.Select(Parse).ToList();
        var errors = DuplicateDocuments.Find(documents).ToList();
        var defined = documents
            .Where(d => d.Kind == "Capability" && d.Name.Length > 0)
            .GroupBy(d => d.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var pending = new PendingDesiredSets();
        foreach (var document in documents)
        {
            errors.AddRange(await Check(document, defined, pending, context.CancellationToken));
        }

        var response = new ApplyAllResponse();
        if (errors.Count > 0)
        {
            response.Errors.Add(errors.OrderBy(e => e.Source, StringComparer.Ordinal).ThenBy(e => e.Line).ThenBy(e => e.Column).Select(AdminMapper.ToMessage));
            return response;
        }

        if (request.DryRun)
        {
            response.Results.Add(documents.Select(Valid));
            return response;
        }

        // Capabilities before instances, so an instance of a capability defined alongside finds it stored.
        var stored = new Dictionary<ParsedDocument, ApplyResponse>();
        try
        {
            foreach (var document in documents.OrderBy(d => d.Instance is null ? 0 : 1))
            {
                stored[document] = await Store(document);
            }
        }
        catch (Exception e) when (e is RpcException || StorageFailure.Find(e) is not null)
        {
            var kept = await TakeBack(stored.Values);
            var answer = e as RpcException ?? StorageFailure.ToRpcException(StorageFailure.Find(e)!);
            throw new RpcException(new Status(answer.StatusCode, answer.Status.Detail + (kept.Count == 0
                ? "; nothing of this apply was kept"
                : $"; of this apply these stay stored: {string.Join(", ", kept)}")));
        }

        response.Results.Add(documents.Select(d => stored[d]));
        return response;
    }

    /// <summary>Deletes what <paramref name="stored"/> created, newest first; returns what stays stored.</summary>
    private async Task<List<string>> TakeBack(IEnumerable<ApplyResponse> stored)
    {
        var kept = new List<string>();
        foreach (var result in stored.Reverse())
        {
            if (result.Outcome == "unchanged")
            {
                continue;
            }

            var name = $"{result.Kind}/{result.Name} revision {result.Revision}";
            if (result.Outcome != "created")
            {
                kept.Add(name);
                continue;
            }

            try
            {
                _ = result.Kind == "instance"
                    ? await grains.GetGrain<IInstanceGrain>(result.Name).Delete()
                    : await grains.GetGrain<ICapabilityGrain>(result.Name).Delete();
            }
            catch (Exception e) when (e is InvalidOperationException || StorageFailure.Find(e) is not null)
            {
                kept.Add(name);
            }
        }

        return kept;
    }
}
