namespace OrleansMl.Experiments;

/// <summary>
/// An experiment's own state: small, written on every change. Its plan and runs, which grow to
/// thousands, are stored apart in pages (<see cref="RunPage"/>), so a change writes one page, not all.
/// </summary>
[GenerateSerializer, Alias("orleansml.ExperimentState")]
public sealed class ExperimentState
{
    [Id(0)] public ExperimentInfo? Info { get; set; }

    /// <summary>
    /// The planned parameter sets (run i uses Plan[i]) held inline: only in a backup's snapshot and in state
    /// written before runs were paged, which the next activation moves into pages. Empty otherwise.
    /// </summary>
    [Id(1)] public List<Dictionary<string, string>> Plan { get; set; } = [];

    /// <summary>Every started run, by index, held inline: as <see cref="Plan"/>.</summary>
    [Id(2)] public List<RunSummary> Runs { get; set; } = [];

    [Id(3)] public bool StopStarting { get; set; }

    /// <summary>Successive halving: the current round and the index of its first run.</summary>
    [Id(4)] public int Round { get; set; }

    [Id(5)] public int RoundStart { get; set; }

    /// <summary>The spec as it was asked for (JSON), before versions were pinned: what a repeated request is compared with.</summary>
    [Id(6)] public string? RequestedSpec { get; set; }

    /// <summary>A deletion started: the next activation finishes it.</summary>
    [Id(7)] public bool Deleting { get; set; }

    /// <summary>How many planned parameter sets and started runs the pages hold (pages are written first; entries past these counts are a write a crash cut short, and are ignored).</summary>
    [Id(8)] public int PlanCount { get; set; }

    [Id(9)] public int RunCount { get; set; }
}

/// <summary>Page p of an experiment's plan and runs: entries [p·<see cref="Size"/>, (p + 1)·<see cref="Size"/>) of each.</summary>
[GenerateSerializer, Alias("orleansml.RunPage")]
public sealed class RunPage
{
    public const int Size = 500;

    [Id(0)] public List<Dictionary<string, string>> Plan { get; set; } = [];

    [Id(1)] public List<RunSummary> Runs { get; set; } = [];

    /// <summary>The name page <paramref name="page"/> is stored under, beside the experiment's own state.</summary>
    public static string StateName(int page) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"experiment-runs-{page:D5}");
}
