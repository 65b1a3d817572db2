namespace OrleansMl.Bench;

/// <summary>How long and how hard each scenario runs; <c>--quick</c> trades precision for a run under a minute.</summary>
/// <param name="Repetitions">Measured repetitions per scenario, after one warm-up; medians are reported.</param>
/// <param name="WarmUp">How long grain calls run at full concurrency before any is measured: the runtime's tiered JIT needs seconds under load to reach steady code.</param>
/// <param name="ThroughputDuration">Length of one throughput repetition.</param>
/// <param name="Callers">Concurrent callers in the throughput scenario.</param>
/// <param name="LatencyCalls">Sequential calls in one latency repetition.</param>
/// <param name="ObjectBytes">Size of one object in the storage scenarios.</param>
/// <param name="ObjectCount">Objects written, then read, in one storage repetition.</param>
/// <param name="CsvRows">Rows of the generated CSV the import scenario reads.</param>
/// <param name="KnnQueries">Fashion-MNIST test images classified in one k-NN repetition.</param>
/// <param name="LinearIterations">L-BFGS iterations (at most) of the logistic regression scenario, for both sides.</param>
internal sealed record BenchSettings(
    string Name,
    int Repetitions,
    TimeSpan WarmUp,
    TimeSpan ThroughputDuration,
    int Callers,
    int LatencyCalls,
    int ObjectBytes,
    int ObjectCount,
    int CsvRows,
    int KnnQueries,
    int LinearIterations)
{
    public static BenchSettings Full { get; } = new("full", 7, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), 64, 20_000, 16 << 20, 4, 2_000_000, 10_000, 100);

    public static BenchSettings Quick { get; } = new("quick", 3, TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(500), 64, 5_000, 4 << 20, 4, 1_000_000, 2_000, 30);

    /// <summary>Scenario groups to run (<see cref="Groups"/>); empty runs them all.</summary>
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>();

    public static IReadOnlyList<string> Groups { get; } = ["calls", "datasets", "knn", "linear", "sql", "backup", "search", "sweep", "serving", "ui", "pipelines", "storage", "torch", "asha", "knn-experiment", "cache"];

    public bool Runs(string group) => Only.Count == 0 || Only.Contains(group);

    public static bool TryParse(string[] args, out BenchSettings settings)
    {
        settings = Full;
        var only = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--quick")
            {
                settings = Quick;
            }
            else if (args[i] == "--only" && i + 1 < args.Length && Groups.Contains(args[i + 1]))
            {
                only.Add(args[++i]);
            }
            else
            {
                return false;
            }
        }

        settings = settings with { Only = only };
        return true;
    }
}
