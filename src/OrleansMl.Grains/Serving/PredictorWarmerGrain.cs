using Orleans.Concurrency;

namespace OrleansMl.Serving;

/// <summary>
/// One per silo, placed on it by its key, so an endpoint update can load its versions on every silo
/// before it switches: predictors are stateless workers and run where they are called, so no call
/// from one place could reach another silo's cache.
/// </summary>
[SiloPlacement, Reentrant, GrainType("orleansml.predictor-warmer")]
public sealed class PredictorWarmerGrain(PredictorCache cache, ILocalSiloDetails silo) : Grain, IPredictorWarmerGrain
{
    public async Task<PredictorInfo> LoadAsync(string model, int version) =>
        (await cache.GetAsync(IPredictorGrain.KeyOf(model, version), model, version)).Describe(silo.SiloAddress.ToString());
}
