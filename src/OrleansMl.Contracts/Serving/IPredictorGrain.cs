namespace OrleansMl.Serving;

/// <summary>
/// Scores rows with one model version (key: <c>{model}/{version}</c>). A stateless worker: calls run
/// on the caller's silo, which loads the model once and batches concurrent requests together.
/// </summary>
[Alias("orleansml.IPredictorGrain")]
public interface IPredictorGrain : IGrainWithStringKey
{
    /// <summary>The key of <paramref name="model"/>'s <paramref name="version"/>.</summary>
    public static string KeyOf(string model, int version) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{model}/{version}");

    /// <exception cref="ArgumentException">The rows do not fit the model (field <c>features</c>).</exception>
    /// <exception cref="ModelUnavailableException">The model cannot be loaded; the message says why.</exception>
    [Alias("PredictAsync")]
    Task<Prediction> PredictAsync(PredictionInput input);

    /// <summary>Loads the model on this silo if it is not loaded yet, and describes it.</summary>
    [Alias("LoadAsync")]
    Task<PredictorInfo> LoadAsync();
}
