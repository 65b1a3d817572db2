using System.Globalization;
using Orleans.Concurrency;

namespace OrleansMl.Serving;

/// <summary>
/// The predictor of one model version (key <c>{model}/{version}</c>). A reentrant stateless worker, so
/// calls stay on the caller's silo and many run at once; they share the silo's one loaded copy of the
/// model in <see cref="PredictorCache"/>, whose micro-batcher groups them.
/// </summary>
[StatelessWorker, Reentrant, GrainType("orleansml.predictor")]
public sealed class PredictorGrain(PredictorCache cache, ILocalSiloDetails silo) : Grain, IPredictorGrain
{
    private string _key = "";
    private string _model = "";
    private int _version;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.LastIndexOf('/');
        if (slash <= 0 || !int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _version))
        {
            throw new ArgumentException($"A predictor key is {{model}}/{{version}}, not '{key}'.");
        }

        (_key, _model) = (key, key[..slash]);
        return Task.CompletedTask;
    }

    public Task<Prediction> PredictAsync(PredictionInput input) => cache.PredictAsync(_key, _model, _version, input);

    public async Task<PredictorInfo> LoadAsync() => (await cache.GetAsync(_key, _model, _version)).Describe(silo.SiloAddress.ToString());
}
