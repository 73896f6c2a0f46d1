using System.Text.Json.Nodes;
using Fleet.Domain.Expressions;
using Fleet.Domain.Serialization;
using Fleet.Protocol.Agent.V1;

namespace Fleet.Agent.Drivers.Kubernetes;

/// <summary>
/// Whether an applied object is ready: its <c>readyWhen</c> conditions over <c>self</c> (the object as the API server
/// returned it) when it has any, otherwise built-in rules for the workload kinds (rolled out and available, or for a
/// Job complete), and for every other kind: ready once applied. Not ready yet is Applying, so a rollout's soak and
/// progress deadline measure the real rollout of the workload, not the apply call.
/// </summary>
internal static class Readiness
{
    public static (ResourceState State, string Message) Evaluate(JsonObject observed, IReadOnlyList<string> readyWhen, IExpressionEngine engine)
    {
        if (readyWhen.Count > 0)
        {
            return EvaluateReadyWhen(observed, readyWhen, engine);
        }

        var spec = observed["spec"] as JsonObject;
        var status = observed["status"] as JsonObject;
        var generation = Long(observed["metadata"]?["generation"]) ?? 0;
        var observedGeneration = Long(status?["observedGeneration"]) ?? 0;

        // A controller that has not seen the latest spec reports about an older one: nothing it says counts yet.
        var current = observedGeneration >= generation;
        switch (Text(observed["kind"]))
        {
            case "Deployment":
            {
                var replicas = Long(spec?["replicas"]) ?? 1;
                var updated = Long(status?["updatedReplicas"]) ?? 0;
                var available = Long(status?["availableReplicas"]) ?? 0;
                return current && updated == replicas && available == replicas
                    ? (ResourceState.Ready, "")
                    : Waiting($"{updated}/{replicas} updated, {available}/{replicas} available", current);
            }

            case "StatefulSet":
            {
                var replicas = Long(spec?["replicas"]) ?? 1;
                var ready = Long(status?["readyReplicas"]) ?? 0;
                var currentRevision = Text(status?["currentRevision"]);
                var updateRevision = Text(status?["updateRevision"]);
                return current && ready == replicas && currentRevision == updateRevision
                    ? (ResourceState.Ready, "")
                    : Waiting($"{ready}/{replicas} ready, revision {currentRevision ?? "?"} of {updateRevision ?? "?"}", current);
            }

            case "DaemonSet":
            {
                var desired = Long(status?["desiredNumberScheduled"]) ?? 0;
                var ready = Long(status?["numberReady"]) ?? 0;
                var updated = Long(status?["updatedNumberScheduled"]) ?? 0;
                return current && status is not null && ready == desired && updated == desired
                    ? (ResourceState.Ready, "")
                    : Waiting($"{updated}/{desired} updated, {ready}/{desired} ready", current);
            }

            case "Job":
                foreach (var condition in (status?["conditions"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    if (Text(condition["status"]) != "True")
                    {
                        continue;
                    }

                    // Kubernetes' own Job condition types (batch/v1), not Fleet's states: these strings are its API.
                    switch (Text(condition["type"]))
                    {
                        case "Complete":
                            return (ResourceState.Ready, "");
                        case "Failed":
                            return (ResourceState.Failed, $"job failed: {Text(condition["message"]) ?? Text(condition["reason"]) ?? "no reason given"}");
                    }
                }

                return (ResourceState.Applying, "waiting: job not complete");
            default:
                return (ResourceState.Ready, "");
        }
    }

    private static (ResourceState, string) EvaluateReadyWhen(JsonObject observed, IReadOnlyList<string> readyWhen, IExpressionEngine engine)
    {
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal) { ["self"] = ValueJson.Deserialize(observed.ToJsonString()) };
        foreach (var condition in readyWhen)
        {
            var parsed = Template.Parse(condition, engine);
            if (parsed.Template is not { IsSingleExpression: true } template)
            {
                // fleet apply refuses these; a hand-written desired set may still carry one.
                var why = parsed.Errors.Count > 0 ? parsed.Errors[0].Message : "not a single ${...} expression";
                return (ResourceState.Failed, $"readyWhen {condition}: {why}");
            }

            object? value;
            try
            {
                value = template.Render(variables);
            }
            catch (ExpressionException e)
            {
                // Fields like status.* appear only once controllers act: not there yet means not ready yet.
                return (ResourceState.Applying, $"waiting: readyWhen {condition}: {e.Message}");
            }

            if (value is not true)
            {
                return (ResourceState.Applying, $"waiting: readyWhen {condition} is {ValueJson.Serialize(value)}");
            }
        }

        return (ResourceState.Ready, "");
    }

    private static (ResourceState, string) Waiting(string progress, bool current) =>
        (ResourceState.Applying, current ? $"waiting: {progress}" : $"waiting: the controller has not observed the latest generation ({progress})");

    private static long? Long(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
