namespace OrleansMl.Experiments;

[GenerateSerializer, Alias("orleansml.ExperimentState")]
public sealed class ExperimentState
{
    [Id(0)] public ExperimentInfo? Info { get; set; }

    /// <summary>The planned parameter sets; run i uses Plan[i].</summary>
    [Id(1)] public List<Dictionary<string, string>> Plan { get; set; } = [];

    /// <summary>Every started run, by index.</summary>
    [Id(2)] public List<RunSummary> Runs { get; set; } = [];

    [Id(3)] public bool StopStarting { get; set; }

    /// <summary>Successive halving: the current round and the index of its first run.</summary>
    [Id(4)] public int Round { get; set; }

    [Id(5)] public int RoundStart { get; set; }

    /// <summary>The spec as it was asked for (JSON), before versions were pinned: what a repeated request is compared with.</summary>
    [Id(6)] public string? RequestedSpec { get; set; }

    /// <summary>A deletion started: the next activation finishes it.</summary>
    [Id(7)] public bool Deleting { get; set; }
}
