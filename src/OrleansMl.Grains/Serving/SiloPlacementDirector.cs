using Orleans.Runtime.Placement;

namespace OrleansMl.Serving;

public sealed class SiloPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target).Order().ToArray();
        var key = target.GrainIdentity.Key.ToString();
        return Task.FromResult(Array.Find(silos, s => s.ToParsableString() == key) ?? silos[0]);
    }
}
