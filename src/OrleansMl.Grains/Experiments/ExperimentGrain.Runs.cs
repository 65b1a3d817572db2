using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace OrleansMl.Experiments;

/// <summary>
/// The plan and the runs, held in memory and stored in pages of <see cref="RunPage.Size"/> beside the
/// experiment's own state: a run's report writes its page and the small state, so an experiment of
/// 10,000 runs writes kilobytes per report, not megabytes. Writes are serialised (one ETag per record)
/// and coalesced: a change already saved by a write that began after it needs no write of its own.
/// Pages are written before the state, whose counts say how many entries the pages hold for certain.
/// </summary>
public sealed partial class ExperimentGrain
{
    private readonly List<Dictionary<string, string>> _plan = [];
    private readonly List<RunSummary> _runs = [];
    private readonly List<GrainState<RunPage>> _pages = [];
    private readonly SortedSet<int> _dirty = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _changes;
    private long _saved;
    private IGrainStorage? _pageStorage;

    private IGrainStorage PageStorage => _pageStorage ??= ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Metadata);

    /// <summary>Marks the page of plan or run <paramref name="index"/> to be written with the next write.</summary>
    private void Changed(int index) => _dirty.Add(index / RunPage.Size);

    /// <summary>
    /// Reads the pages the state counts. State written inline (before runs were paged, or restored from a
    /// backup) is moved into pages and written at once.
    /// </summary>
    private async Task LoadRunsAsync()
    {
        var inline = state.State.Plan.Count > 0 || state.State.Runs.Count > 0;
        var plans = inline ? state.State.Plan.Count : state.State.PlanCount;
        for (var p = 0; p * RunPage.Size < plans; p++)
        {
            var page = new GrainState<RunPage>(new RunPage());
            await PageStorage.ReadStateAsync(RunPage.StateName(p), this.GetGrainId(), page);
            if (!inline && !page.RecordExists)
            {
                throw new InvalidOperationException($"Experiment '{Name}' has lost page {p} of its runs ({RunPage.StateName(p)}).");
            }

            _pages.Add(page);
            if (!inline)
            {
                _plan.AddRange(page.State!.Plan);
                _runs.AddRange(page.State.Runs);
            }
        }

        if (inline)
        {
            _plan.AddRange(state.State.Plan);
            _runs.AddRange(state.State.Runs);
            state.State.Plan = [];
            state.State.Runs = [];
            for (var i = 0; i < _plan.Count; i += RunPage.Size)
            {
                Changed(i);
            }

            await WriteAsync();
            return;
        }

        // Entries past the counts were written by a write a crash cut short before the state: as if never written.
        _plan.RemoveRange(state.State.PlanCount, _plan.Count - state.State.PlanCount);
        _runs.RemoveRange(state.State.RunCount, _runs.Count - state.State.RunCount);
        if (state.State.Info is not null)
        {
            Set(Info with { RunCounts = Counts(), Best = Best() }); // a page may hold reports newer than the state
        }
    }

    private async Task WriteAsync()
    {
        var change = ++_changes;
        await _gate.WaitAsync();
        try
        {
            if (_saved >= change)
            {
                return; // a write that began after this change has saved it
            }

            var upTo = _changes;
            while (_dirty.Count > 0)
            {
                var p = _dirty.Min;
                _dirty.Remove(p);
                while (_pages.Count <= p)
                {
                    _pages.Add(new GrainState<RunPage>(new RunPage()));
                }

                var first = p * RunPage.Size;
                _pages[p].State = new RunPage
                {
                    Plan = _plan.GetRange(first, Math.Clamp(_plan.Count - first, 0, RunPage.Size)),
                    Runs = _runs.GetRange(Math.Min(first, _runs.Count), Math.Clamp(_runs.Count - first, 0, RunPage.Size)),
                };
                try
                {
                    await PageStorage.WriteStateAsync(RunPage.StateName(p), this.GetGrainId(), _pages[p]);
                }
                catch
                {
                    _dirty.Add(p);
                    throw;
                }
            }

            // No await since the last page was written: every entry these counts cover is in a page.
            state.State.PlanCount = _plan.Count;
            state.State.RunCount = _runs.Count;
            await state.WriteStateAsync();
            _saved = upTo;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Clears every page (a deletion), then the caller clears the state.</summary>
    private async Task ClearRunsAsync()
    {
        for (var p = 0; p < _pages.Count; p++)
        {
            if (_pages[p].RecordExists)
            {
                await PageStorage.ClearStateAsync(RunPage.StateName(p), this.GetGrainId(), _pages[p]);
            }
        }
    }

    /// <summary>The state with its plan and runs inline: what a backup holds.</summary>
    public Task<byte[]?> ExportStateAsync() => Task.FromResult(state.RecordExists ? Serializer.SerializeToArray(Snapshot()) : null);

    public async Task RestoreStateAsync(byte[] snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (state.RecordExists)
        {
            // A restore repeated after it stopped half-way finds what it wrote; anything else is never overwritten.
            if (!Serializer.SerializeToArray(Snapshot()).AsSpan().SequenceEqual(snapshot))
            {
                throw new ResourceConflictException($"'{Name}' exists already; a restore never overwrites.");
            }

            return;
        }

        state.State = Serializer.Deserialize<ExperimentState>(snapshot)!;
        await state.WriteStateAsync(); // inline: the next activation moves the runs into pages, as after an upgrade
        DeactivateOnIdle();
    }

    private Serializer Serializer => ServiceProvider.GetRequiredService<Serializer>();

    private ExperimentState Snapshot() => new()
    {
        Info = state.State.Info,
        Plan = _plan,
        Runs = _runs,
        StopStarting = state.State.StopStarting,
        Round = state.State.Round,
        RoundStart = state.State.RoundStart,
        RequestedSpec = state.State.RequestedSpec,
        Deleting = state.State.Deleting,
    };
}
