using System.Text;

namespace Fleet.Agent.Drivers.Exec;

/// <summary>
/// The last few kilobytes a process wrote to stdout and stderr, interleaved as they arrived. Only the tail is kept:
/// a chatty job must not grow the agent's memory, and the end of the output is where the reason for a failure is.
/// </summary>
internal sealed class OutputTail(int capacity)
{
    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();
    private bool _truncated;

    public void Append(ReadOnlySpan<char> chunk)
    {
        lock (_gate)
        {
            _text.Append(chunk);
            if (_text.Length > capacity * 2)
            {
                _text.Remove(0, _text.Length - capacity);
                _truncated = true;
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            var text = _text.Length > capacity ? _text.ToString(_text.Length - capacity, capacity) : _text.ToString();
            return (_truncated || _text.Length > capacity ? "…" : "") + text.TrimEnd();
        }
    }
}
