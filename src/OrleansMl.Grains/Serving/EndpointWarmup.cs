using Microsoft.Extensions.Logging;
using OrleansMl.Catalog;

namespace OrleansMl.Serving;

/// <summary>
/// Loads every endpoint's versions (routes and shadow) on a silo as it starts, in the background, so
/// a silo that joins after an endpoint update — a scale-out, a replaced machine, a restarted
/// cluster — does not pay the model load on its first requests. An endpoint update loads its
/// versions on the silos that are up at the time; this covers the ones that come later.
/// </summary>
public sealed partial class EndpointWarmup(IGrainFactory grains, PredictorCache cache, ILogger<EndpointWarmup> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _warming = Task.CompletedTask;

    /// <summary>Finishes when the warm-up has loaded (or failed to load) every version it found.</summary>
    public Task Warming => _warming;

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(
        nameof(EndpointWarmup),
        ServiceLifecycleStage.Active,
        _ =>
        {
            _warming = Task.Run(() => WarmAsync(_stopping.Token), CancellationToken.None);
            return Task.CompletedTask;
        },
        async _ =>
        {
            await _stopping.CancelAsync();
            await _warming;
        });

    private async Task WarmAsync(CancellationToken cancellationToken)
    {
        try
        {
            var versions = new HashSet<(string Model, int Version)>();
            foreach (var name in await grains.GetGrain<ICatalogGrain>(ICatalogGrain.Endpoints).ListAsync())
            {
                if (await grains.GetGrain<IEndpointGrain>(name).GetAsync() is { } endpoint)
                {
                    versions.UnionWith(endpoint.Routes.Append(endpoint.Shadow).OfType<EndpointRoute>().Select(r => (r.Model, r.Version)));
                }
            }

            foreach (var (model, version) in versions)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    await cache.GetAsync(IPredictorGrain.KeyOf(model, version), model, version).WaitAsync(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogVersionFailed(logger, model, version, e.Message); // the first request retries it
                }
            }

            LogWarmed(logger, versions.Count);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogFailed(logger, e.Message); // versions load on their first request instead
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} endpoint versions on this silo at start")]
    private static partial void LogWarmed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not load {Model} version {Version} at silo start: {Reason}")]
    private static partial void LogVersionFailed(ILogger logger, string model, int version, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not list the endpoints to load at silo start: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
