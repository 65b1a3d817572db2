using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using OrleansMl.Hosting.GrainStorage;

namespace OrleansMl.Testing;

/// <summary>
/// The platform's local file grain storage with writes that fail on demand: <see cref="FailWrites"/>
/// decides, per state name and grain, whether a write throws (as a storage outage would) instead of
/// reaching the file. Reads and clears always pass through.
/// </summary>
public sealed class FaultyGrainStorage(IGrainStorage inner) : IGrainStorage
{
    /// <summary>Returns true for a write that must fail; null fails none.</summary>
    public static Func<string, GrainId, bool>? FailWrites { get; set; }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        FailWrites?.Invoke(stateName, grainId) == true
            ? throw new IOException($"Injected fault: the write of {stateName} for {grainId} failed.")
            : inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);

    /// <summary>Replaces the grain storage provider <paramref name="name"/> (a local file one) with a faulty one over the same files.</summary>
    public static void Register(ISiloBuilder silo, string name) =>
        silo.Services.AddGrainStorage(name, static (sp, key) => new FaultyGrainStorage(new LocalFileGrainStorage(
            key,
            sp.GetRequiredService<IOptionsMonitor<LocalFileGrainStorageOptions>>().Get(key),
            sp.GetRequiredService<IGrainStorageSerializer>(),
            sp.GetRequiredService<ILogger<LocalFileGrainStorage>>())));
}
