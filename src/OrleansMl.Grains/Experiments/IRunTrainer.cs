namespace OrleansMl.Experiments;

/// <summary>
/// A trainer a run can use, registered in the silo by <see cref="Name"/> (the spec's <c>trainer</c>).
/// It reads its data through the context, logs metrics per step, checkpoints if it is iterative,
/// evaluates on the held-out data and returns the final metrics and artifacts.
/// </summary>
public interface IRunTrainer
{
    string Name { get; }

    /// <summary>The tasks it handles: multiclass, binary, regression.</summary>
    IReadOnlyCollection<string> Tasks { get; }

    /// <summary>Checks the run's parameters before any run starts; throw <see cref="ArgumentException"/> naming the parameter.</summary>
    void Validate(IReadOnlyDictionary<string, string> parameters);

    /// <summary>Whether its runs report the experiment's metric every epoch (<see cref="IExperimentGrain.ReportEpochAsync"/>), so early stopping can act on them.</summary>
    bool ReportsEpochs => false;

    Task<RunOutcome> TrainAsync(RunContext context);
}
