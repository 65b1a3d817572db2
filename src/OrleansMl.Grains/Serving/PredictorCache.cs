using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansMl.Datasets;
using OrleansMl.Models;
using OrleansMl.Pipelines;

namespace OrleansMl.Serving;

/// <summary>
/// The model versions loaded on this silo, one copy each however many predictor activations use it.
/// A load runs once; a failed load is remembered for <see cref="ServingOptions.LoadRetryDelay"/> so a
/// burst of requests does not reload a broken model each time; a model idle for
/// <see cref="ServingOptions.IdleUnload"/> is unloaded.
/// </summary>
public sealed partial class PredictorCache : ISiloPredictors, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _models = new(StringComparer.Ordinal);
    private readonly ModelLoader _loader;
    private readonly PartitionTransformRegistry _udfs;
    private readonly IGrainFactory _grains;
    private readonly ServingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PredictorCache> _logger;
    private readonly ITimer _sweeper;

    public PredictorCache(ModelLoader loader, PartitionTransformRegistry udfs, IGrainFactory grains, IOptions<ServingOptions> options, TimeProvider time, ILogger<PredictorCache> logger)
    {
        _loader = loader;
        _udfs = udfs;
        _grains = grains;
        _options = options.Value;
        _time = time;
        _logger = logger;
        var period = _options.IdleUnload / 4;
        _sweeper = time.CreateTimer(_ => _ = UnloadIdleAsync(), null, period, period);
    }

    public Task<Prediction> PredictAsync(string model, int version, PredictionInput input) => PredictAsync(IPredictorGrain.KeyOf(model, version), model, version, input);

    /// <summary>Predicts with a version, loading it first if needed.</summary>
    internal async Task<Prediction> PredictAsync(string key, string model, int version, PredictionInput input)
    {
        try
        {
            return await (await GetAsync(key, model, version)).PredictAsync(input, _time.GetTimestamp());
        }
        catch (ObjectDisposedException)
        {
            // Unloaded as idle just as this request arrived: load it again.
            return await (await GetAsync(key, model, version)).PredictAsync(input, _time.GetTimestamp());
        }
    }

    /// <summary>Whether the version with this key (<see cref="IPredictorGrain.KeyOf"/>) is loaded on this silo.</summary>
    internal bool IsLoaded(string key) => _models.TryGetValue(key, out var entry) && entry.Loading.IsCompletedSuccessfully;

    /// <param name="key">The version's key, <see cref="IPredictorGrain.KeyOf"/>.</param>
    internal async Task<ServedModel> GetAsync(string key, string model, int version)
    {
        while (true)
        {
            if (!_models.TryGetValue(key, out var entry))
            {
                entry = _models.GetOrAdd(key, _ => new Entry(Task.Run(() => LoadAsync(model, version)), _time.GetTimestamp()));
            }

            try
            {
                return await entry.Loading;
            }
            catch (Exception) when (_time.GetElapsedTime(entry.Created) >= _options.LoadRetryDelay)
            {
                _models.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _sweeper.DisposeAsync();
        foreach (var entry in _models.Values)
        {
            if (entry.Loading.IsCompletedSuccessfully)
            {
                await entry.Loading.Result.DisposeAsync();
            }
        }
    }

    private async Task<ServedModel> LoadAsync(string model, int version)
    {
        var started = Stopwatch.GetTimestamp();
        ModelVersionInfo? info;
        try
        {
            info = (await _grains.GetGrain<IModelGrain>(model).GetAsync())?.Versions.FirstOrDefault(v => v.Version == version);
        }
        catch (Exception e)
        {
            throw new ModelUnavailableException($"The registry could not be read for model '{model}': {e.Message}", e);
        }

        if (info is null)
        {
            throw new KeyNotFoundException($"Model '{model}' has no version {version}.");
        }

        try
        {
            var records = info.Pipeline is { } pipeline ? new RecordPipeline(pipeline, _udfs) : null;
            var scorer = await _loader.LoadAsync(info);
            var elapsed = Stopwatch.GetElapsedTime(started);
            LogLoaded(_logger, model, version, info.Flavor, elapsed.TotalMilliseconds);
            return new ServedModel(model, info, scorer, records, elapsed, _options, _time.GetTimestamp());
        }
        catch (Exception e)
        {
            LogLoadFailed(_logger, e, model, version);
            throw new ModelUnavailableException($"Model '{model}' version {version} ({info.Flavor}, {info.ArtifactPath}) failed to load: {e.Message}", e);
        }
    }

    private async Task UnloadIdleAsync()
    {
        foreach (var (key, entry) in _models)
        {
            if (entry.Loading.IsCompletedSuccessfully && _time.GetElapsedTime(entry.Loading.Result.LastUsed) >= _options.IdleUnload
                && _models.TryRemove(new KeyValuePair<string, Entry>(key, entry)))
            {
                LogUnloaded(_logger, key);
                await entry.Loading.Result.DisposeAsync();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded model {Model} version {Version} ({Flavor}) in {Milliseconds:F0} ms")]
    private static partial void LogLoaded(ILogger logger, string model, int version, string flavor, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} version {Version} failed to load")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception, string model, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unloaded idle model {Key}")]
    private static partial void LogUnloaded(ILogger logger, string key);

    private sealed class Entry(Task<ServedModel> loading, long created)
    {
        public Task<ServedModel> Loading { get; } = loading;

        /// <summary>When the load started, in <see cref="TimeProvider.GetTimestamp"/> ticks.</summary>
        public long Created { get; } = created;
    }
}
