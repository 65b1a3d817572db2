namespace OrleansMl.Datasets;

/// <summary>Checks of steps as a caller sends them, made where a request enters (the gateway, the experiment grain).</summary>
public static class ClientSteps
{
    /// <summary>
    /// Refuses steps sent with <c>resolved</c> filled in: the platform computes it (statistics, category
    /// lists) from the data, and a caller's own would skip the checks that computation makes (a
    /// one-hot of millions of categories). To re-apply a version's resolved steps, use <c>from</c>.
    /// </summary>
    public static void RefuseResolved(IReadOnlyList<TransformStep> steps, string field = "steps")
    {
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i]?.Resolved is not null)
            {
                throw FieldError.Invalid($"{field}[{i}].resolved is filled in by the platform from the data; leave it out (to re-apply another version's steps unchanged, use from).", $"{field}[{i}].resolved");
            }
        }
    }
}
