using Fleet.Protocol.Agent.V1;
using Grpc.Core;

namespace Fleet.Hub.Agents;

internal sealed partial class AgentGatewayService
{
    /// <summary>Largest echo payload; the benchmark sends a few dozen bytes.</summary>
    internal const int MaxEchoPayloadBytes = 1024;

    /// <summary>
    /// Sends every message straight back: no grain, no storage. It is the transport's ceiling (same
    /// connections, same authorization as <see cref="Connect"/>) that the rollout benchmark measures
    /// its throughput against.
    /// </summary>
    public override async Task Echo(
        IAsyncStreamReader<EchoMessage> requestStream,
        IServerStreamWriter<EchoMessage> responseStream,
        ServerCallContext context)
    {
        // Like agent streams, an echo ends when the hub stops rather than holding up shutdown.
        using var streamDone = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            while (await requestStream.MoveNext(streamDone.Token))
            {
                var message = requestStream.Current;
                if (message.Payload.Length > MaxEchoPayloadBytes)
                {
                    throw new RpcException(new Status(
                        StatusCode.InvalidArgument,
                        $"echo payload of {message.Payload.Length} bytes is over the limit of {MaxEchoPayloadBytes}"));
                }

                await responseStream.WriteAsync(message, streamDone.Token);
            }
        }
        catch (OperationCanceledException) when (streamDone.IsCancellationRequested)
        {
            // The caller went away, or the hub is stopping.
        }
        catch (IOException)
        {
            // The connection broke mid-read.
        }
    }
}
