namespace OrleansMl.Experiments;

[GenerateSerializer, Alias("orleansml.RunState")]
public sealed class RunState
{
    [Id(0)] public RunRequest? Request { get; set; }

    [Id(1)] public RunInfo? Info { get; set; }

    /// <summary>How many times an activation took the run over from a silo that stopped while it trained.</summary>
    [Id(2)] public int Takeovers { get; set; }
}
