namespace OrleansMl.Serving;

/// <summary>How a request picks one of an endpoint's routes: at random, in proportion to the weights.</summary>
public static class EndpointRouting
{
    public static EndpointRoute Pick(IReadOnlyList<EndpointRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        if (routes.Count == 1)
        {
            return routes[0];
        }

        var total = 0L;
        foreach (var route in routes)
        {
            total += route.Weight;
        }

        var ticket = Random.Shared.NextInt64(total);
        foreach (var route in routes)
        {
            ticket -= route.Weight;
            if (ticket < 0)
            {
                return route;
            }
        }

        return routes[^1];
    }
}
