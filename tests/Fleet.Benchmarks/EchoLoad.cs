using System.Diagnostics;
using Fleet.Protocol.Agent.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Fleet.Benchmarks;

/// <summary>
/// The transport's ceiling in the same run: as many concurrent Echo streams as there are agents, on the
/// agents' own HTTP/2 connections, each sending one small message and waiting for it to come back, over
/// and over. Round trips completed per second, counted after a warm-up.
/// </summary>
internal static class EchoLoad
{
    public const int PayloadBytes = 64;

    public static async Task<double> RunAsync(AgentFleet fleet, int streams, TimeSpan warmUp, TimeSpan duration, CancellationToken cancellationToken)
    {
        var completed = 0L;
        var stop = 0;
        var payload = ByteString.CopyFrom(new byte[PayloadBytes]);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = Enumerable.Range(0, streams).Select(i => Task.Run(async () =>
        {
            var client = new AgentGateway.AgentGatewayClient(fleet.ChannelFor(i));
            using var call = client.Echo(cancellationToken: abort.Token);
            var sequence = 0L;
            while (Volatile.Read(ref stop) == 0)
            {
                await call.RequestStream.WriteAsync(new EchoMessage { Payload = payload, Sequence = ++sequence }, abort.Token);
                if (!await call.ResponseStream.MoveNext(abort.Token))
                {
                    throw new BenchmarkException("the hub ended an echo stream early");
                }

                if (call.ResponseStream.Current.Sequence != sequence)
                {
                    throw new BenchmarkException($"echo returned sequence {call.ResponseStream.Current.Sequence}, expected {sequence}");
                }

                Interlocked.Increment(ref completed);
            }

            await call.RequestStream.CompleteAsync();
            while (await call.ResponseStream.MoveNext(abort.Token))
            {
                // Drain until the hub ends its side.
            }
        }, abort.Token)).ToList();

        var all = Task.WhenAll(loops);
        await Task.WhenAny(all, Task.Delay(warmUp, cancellationToken));
        var startCount = Interlocked.Read(ref completed);
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAny(all, Task.Delay(duration, cancellationToken));
        var endCount = Interlocked.Read(ref completed);
        var elapsed = Stopwatch.GetElapsedTime(start);
        Volatile.Write(ref stop, 1);
        if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(30), cancellationToken)) != all)
        {
            await abort.CancelAsync();
            throw new BenchmarkException("echo streams did not finish within 30 s of the end of the measurement");
        }

        try
        {
            await all;
        }
        catch (RpcException e)
        {
            throw new BenchmarkException($"echo failed: {e.Status.StatusCode}: {e.Status.Detail}");
        }

        return (endCount - startCount) / elapsed.TotalSeconds;
    }
}
