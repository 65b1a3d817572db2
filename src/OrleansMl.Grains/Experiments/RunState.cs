namespace OrleansMl.Experiments;

[GenerateSerializer, Alias("orleansml.RunState")]
public sealed class RunState
{
    [Id(0)] public RunRequest? Request { get; set; }

    [Id(1)] public RunInfo? Info { get; set; }

    /// <summary>How many times an activation took the run over from a silo that stopped while it trained.</summary>
    [Id(2)] public int Takeovers { get; set; }

    /// <summary>
    /// The last activation stopped the training on purpose (its silo shut down, or Orleans moved the grain) and
    /// wrote that down: the next activation continues without counting a takeover, since no silo was lost.
    /// </summary>
    [Id(3)] public bool HandedOver { get; set; }
}
