namespace OrleansMl.Experiments;

[GenerateSerializer, Alias("orleansml.RunState")]
public sealed class RunState
{
    [Id(0)] public RunRequest? Request { get; set; }

    [Id(1)] public RunInfo? Info { get; set; }
}
