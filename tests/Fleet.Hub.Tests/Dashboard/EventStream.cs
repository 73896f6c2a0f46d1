namespace Fleet.Hub.Tests.Dashboard;

/// <summary>A server-sent event stream read line by line: the data of each <c>change</c> event, in order.</summary>
internal sealed class EventStream : IDisposable
{
    /// <summary>Bounds a hang of a read, not a performance limit.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public static async Task<EventStream> OpenAsync(HttpClient http)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(Patience);
        var response = await http.GetAsync("events", HttpCompletionOption.ResponseHeadersRead, bound.Token);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventStream(response, new StreamReader(await response.Content.ReadAsStreamAsync(bound.Token)));
    }

    /// <summary>The data of the next change event.</summary>
    public async Task<string> NextAsync()
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(Patience);
        string? type = null;
        while (await _reader.ReadLineAsync(bound.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && type == "change")
            {
                return line["data: ".Length..];
            }
        }

        throw new EndOfStreamException("the event stream ended");
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}
