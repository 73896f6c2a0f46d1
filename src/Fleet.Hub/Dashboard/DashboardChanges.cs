using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Fleet.Hub.Dashboard;

/// <summary>
/// Tells open dashboard pages that the hub's state changed (an agent reported, a rollout was acted on). Each page's
/// event stream has a small queue of its own that drops the oldest notice when full: a notice only says "look again",
/// so a slow browser loses nothing by missing some, and nothing grows however long a page stays open.
/// </summary>
internal sealed class DashboardChanges
{
    public const int QueueCapacity = 8;

    private readonly Lock _gate = new();
    private readonly List<Channel<string>> _subscribers = [];

    /// <summary>Notices from now on, until <paramref name="cancellationToken"/> ends the subscription.</summary>
    public ChannelReader<string> Subscribe(CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            _subscribers.Add(channel);
        }

        cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }

            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }

    /// <summary>
    /// A page's event stream: "hello" at once, then the notices. The first event makes the server send the response
    /// (until then a browser's EventSource is not open), and makes the page look again once, which covers a change
    /// between the page's render and its subscription.
    /// </summary>
    public async IAsyncEnumerable<string> StreamAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var notices = Subscribe(cancellationToken);
        yield return "hello";
        await foreach (var notice in notices.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return notice;
        }
    }

    public int Subscribers
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <param name="what">What changed, e.g. "target" or "rollout": the page decides whether it shows it.</param>
    public void Publish(string what)
    {
        lock (_gate)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(what);
            }
        }
    }
}
