namespace OrleansMl.Serving;

/// <summary>Loads model versions into one silo's predictor cache (key: the silo's address, <see cref="SiloAddress.ToParsableString"/>).</summary>
[Alias("orleansml.IPredictorWarmerGrain")]
public interface IPredictorWarmerGrain : IGrainWithStringKey
{
    /// <exception cref="ModelUnavailableException">The version does not load; the message says why.</exception>
    [Alias("LoadAsync")]
    Task<PredictorInfo> LoadAsync(string model, int version);
}
