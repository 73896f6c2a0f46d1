namespace Fleet.Domain.Rollouts;

/// <summary>
/// The entries of a rollout's current direction, indexed so that one step costs O(batch), not O(fleet):
/// per-wave lists with a cursor to the next pending entry, the set of entries in flight, and counters per
/// state kept up to date by <see cref="Move"/>, the only way an entry's state changes. Built once per load
/// (O(fleet)); every later change is O(1).
/// </summary>
internal sealed class ActiveEntryIndex
{
    private readonly Dictionary<string, RolloutTargetEntry> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<int, List<RolloutTargetEntry>> _byWave = [];
    private readonly Dictionary<int, int> _cursor = [];
    private readonly Dictionary<int, WaveCounters> _waves = [];
    private readonly HashSet<RolloutTargetEntry> _inFlight = new(ReferenceEqualityComparer.Instance);
    private readonly int[] _byState = new int[5];

    public int Count => _byName.Count;

    public IEnumerable<RolloutTargetEntry> All => _byName.Values;

    public IReadOnlyCollection<RolloutTargetEntry> InFlight => _inFlight;

    /// <summary>Failed and not accepted, over all waves: what the failure budget counts.</summary>
    public int Unhealthy { get; private set; }

    public int this[RolloutTargetState state] => _byState[(int)state];

    public RolloutTargetEntry? Find(string name) => _byName.GetValueOrDefault(name);

    public bool Contains(string name) => _byName.ContainsKey(name);

    public void Clear()
    {
        _byName.Clear();
        _byWave.Clear();
        _cursor.Clear();
        _waves.Clear();
        _inFlight.Clear();
        Array.Clear(_byState);
        Unhealthy = 0;
    }

    public void Add(RolloutTargetEntry entry)
    {
        _byName[entry.Name] = entry;
        if (!_byWave.TryGetValue(entry.Wave, out var list))
        {
            _byWave[entry.Wave] = list = [];
            _cursor[entry.Wave] = 0;
            _waves[entry.Wave] = new WaveCounters();
        }

        list.Add(entry);
        Tally(entry, +1);
    }

    public IReadOnlyList<RolloutTargetEntry> Wave(int wave) => _byWave.GetValueOrDefault(wave) ?? [];

    /// <summary>Entries of the wave not finished yet (pending or in flight).</summary>
    public int Unfinished(int wave) => _waves.TryGetValue(wave, out var c) ? c.Pending + c.InFlight : 0;

    public int Pending(int wave) => _waves.TryGetValue(wave, out var c) ? c.Pending : 0;

    /// <summary>In flight or unhealthy: what maxUnavailable bounds.</summary>
    public int Unavailable(int wave) => _waves.TryGetValue(wave, out var c) ? c.InFlight + c.Unhealthy : 0;

    /// <summary>The next pending entries of a wave, in plan order, without rescanning those already past.</summary>
    public List<RolloutTargetEntry> NextPending(int wave, int count)
    {
        var result = new List<RolloutTargetEntry>();
        if (count <= 0 || !_byWave.TryGetValue(wave, out var list))
        {
            return result;
        }

        var cursor = _cursor[wave];
        while (cursor < list.Count && list[cursor].State != RolloutTargetState.Pending)
        {
            cursor++;
        }

        _cursor[wave] = cursor;
        for (var i = cursor; i < list.Count && result.Count < count; i++)
        {
            if (list[i].State == RolloutTargetState.Pending)
            {
                result.Add(list[i]);
            }
        }

        return result;
    }

    /// <summary>Changes an entry's state (and acceptance), keeping every counter right.</summary>
    public void Move(RolloutTargetEntry entry, RolloutTargetState state, bool failureAccepted = false)
    {
        Tally(entry, -1);
        entry.State = state;
        entry.FailureAccepted = failureAccepted;
        Tally(entry, +1);
    }

    private void Tally(RolloutTargetEntry entry, int delta)
    {
        _byState[(int)entry.State] += delta;
        var wave = _waves[entry.Wave];
        switch (entry.State)
        {
            case RolloutTargetState.Pending:
                wave.Pending += delta;
                break;
            case RolloutTargetState.InProgress:
                wave.InFlight += delta;
                if (delta > 0)
                {
                    _inFlight.Add(entry);
                }
                else
                {
                    _inFlight.Remove(entry);
                }

                break;
        }

        if (entry.IsUnhealthy)
        {
            wave.Unhealthy += delta;
            Unhealthy += delta;
        }
    }

    private sealed class WaveCounters
    {
        public int Pending { get; set; }
        public int InFlight { get; set; }
        public int Unhealthy { get; set; }
    }
}
