using System.Collections.Concurrent;
using OrleansMl.Serving;

namespace OrleansMl.GrainClient;

/// <summary>
/// Answers a request for an endpoint: picks a route by weight (or the version asked for), calls that
/// version's predictor, and off the request path sends the same rows to the shadow version and logs
/// a sample of requests. Beside a silo it calls that silo's predictors directly (<see cref="ISiloPredictors"/>);
/// elsewhere through the predictor grains.
/// </summary>
/// <param name="local">The silo's predictors when this process hosts one; null otherwise.</param>
public sealed class EndpointPredictor(IGrainFactory grains, PredictionLog log, TimeProvider time, ISiloPredictors? local = null)
{
    /// <summary>
    /// Shadow predictions running at once, at most: a shadow version slower than the served one would
    /// otherwise pile up its requests (and their rows) in memory without end. Past it shadows are skipped
    /// and counted (<see cref="ShadowsSkipped"/>); the served answer never waits for a shadow.
    /// </summary>
    public const int MaxShadowsInFlight = 256;

    private int _shadowsInFlight;
    private long _shadowsSkipped;

    /// <summary>Shadow predictions skipped because <see cref="MaxShadowsInFlight"/> were running.</summary>
    public long ShadowsSkipped => Interlocked.Read(ref _shadowsSkipped);

    /// <summary>Grain references by route: building one resolves the interface by reflection, a fifth of a single-row request's CPU (measured).</summary>
    private readonly ConcurrentDictionary<EndpointRoute, IPredictorGrain> _predictors = new();

    /// <exception cref="KeyNotFoundException"><paramref name="version"/> is not one the endpoint serves.</exception>
    public async Task<Prediction> PredictAsync(EndpointInfo endpoint, PredictionInput input, int? version = null)
    {
        var route = version is { } wanted
            ? endpoint.Routes.FirstOrDefault(r => r.Version == wanted) ?? throw new KeyNotFoundException($"Endpoint '{endpoint.Name}' does not serve version {wanted}; it serves {string.Join(", ", endpoint.Routes.Select(r => r.Version))}.")
            : EndpointRouting.Pick(endpoint.Routes);
        var prediction = await PredictAsync(route, input);
        if (endpoint.Shadow is { } shadow)
        {
            if (Interlocked.Increment(ref _shadowsInFlight) <= MaxShadowsInFlight)
            {
                _ = ShadowAsync(endpoint.Name, shadow, input, prediction);
            }
            else
            {
                Interlocked.Decrement(ref _shadowsInFlight);
                Interlocked.Increment(ref _shadowsSkipped);
            }
        }

        if (endpoint.LogSampleRate > 0 && Random.Shared.NextDouble() < endpoint.LogSampleRate)
        {
            log.Add(new PredictionRecord("sample", time.GetUtcNow(), endpoint.Name, input.Rows, input.Columns is null ? input.Features : null, prediction, null, Columns: input.Columns));
        }

        return prediction;
    }

    private Task<Prediction> PredictAsync(EndpointRoute route, PredictionInput input) =>
        local?.PredictAsync(route.Model, route.Version, input) ?? Predictor(route).PredictAsync(input);

    private IPredictorGrain Predictor(EndpointRoute route) =>
        _predictors.TryGetValue(route, out var predictor)
            ? predictor
            : _predictors.GetOrAdd(route, r => grains.GetGrain<IPredictorGrain>(IPredictorGrain.KeyOf(r.Model, r.Version)));

    private async Task ShadowAsync(string endpoint, EndpointRoute shadow, PredictionInput input, Prediction served)
    {
        await Task.Yield(); // off the request's path from the start
        try
        {
            log.Add(new PredictionRecord("shadow", time.GetUtcNow(), endpoint, input.Rows, null, served, await PredictAsync(shadow, input)));
        }
        catch (Exception e) when (e is ModelUnavailableException or ArgumentException or TimeoutException or OrleansException)
        {
            // A shadow's failure is recorded, never seen by the caller.
            log.Add(new PredictionRecord("shadow", time.GetUtcNow(), endpoint, input.Rows, null, served, null, $"{shadow.Model} version {shadow.Version}: {e.Message}"));
        }
        finally
        {
            Interlocked.Decrement(ref _shadowsInFlight);
        }
    }
}
