using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace OrleansMl.Datasets;

public sealed class PartitionPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target).Order().ToArray();
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, silos) is { } hint)
        {
            return Task.FromResult(hint);
        }

        var (dataset, version, index) = DatasetPaths.ParsePartitionKey(target.GrainIdentity.Key.ToString()!);
        var offset = (int)(StableHash($"{dataset}/v{version}") % (uint)silos.Length);
        return Task.FromResult(silos[(index + offset) % silos.Length]);
    }

    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
