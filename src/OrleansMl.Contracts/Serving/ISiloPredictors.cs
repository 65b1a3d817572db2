namespace OrleansMl.Serving;

/// <summary>
/// The predictors of the silo in this process, for a gateway or grain client hosted beside it. A
/// predictor is a stateless worker, so a call from this process lands on this silo's loaded copy
/// anyway; calling it directly answers the same, without the grain call's message, copies and two
/// thread hops. Those hops are what a single-row request pays most for when CPU is scarce (measured
/// on a loaded 2-core machine: 0.30 of the in-process floor through the grain call).
/// Registered only where a silo runs; a separate gateway process calls <see cref="IPredictorGrain"/>.
/// </summary>
public interface ISiloPredictors
{
    /// <inheritdoc cref="IPredictorGrain.PredictAsync"/>
    Task<Prediction> PredictAsync(string model, int version, PredictionInput input);
}
