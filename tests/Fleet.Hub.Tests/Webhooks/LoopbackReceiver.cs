using System.Net;
using System.Text;

namespace Fleet.Hub.Tests.Webhooks;

/// <summary>A real HTTP receiver on loopback: each request is recorded, then answered by the test's handler.</summary>
internal sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<int, HttpListenerContext, Task> _answer;
    private readonly Task _loop;
    private int _count;

    public LoopbackReceiver(Func<int, HttpListenerContext, Task> answer)
    {
        _answer = answer;
        var port = LoopbackPorts.Take();
        Url = new Uri($"http://127.0.0.1:{port}/hook");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public Uri Url { get; }

    public List<(string? Signature, string Body)> Requests { get; } = [];

    public static async Task Reply(HttpListenerContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        var bytes = Encoding.UTF8.GetBytes(body);
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            int index;
            lock (Requests)
            {
                Requests.Add((context.Request.Headers["Fleet-Signature"], body));
                index = _count++;
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await _answer(index, context);
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    // The client gave up (a timeout test): nothing to answer.
                }
            });
        }
    }
}
