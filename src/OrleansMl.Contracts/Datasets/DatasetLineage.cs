namespace OrleansMl.Datasets;

/// <summary>Where a version came from: an import source, or a parent version and the steps applied to it.</summary>
/// <param name="Operation">import, transform, split, score or sql.</param>
/// <param name="Source">The import source, a one-line description of the transform, or the SQL query.</param>
[GenerateSerializer, Immutable, Alias("orleansml.DatasetLineage")]
public sealed record DatasetLineage(
    [property: Id(0)] string Operation,
    [property: Id(1)] string Source,
    [property: Id(2)] string? ParentDataset,
    [property: Id(3)] int? ParentVersion,
    [property: Id(4)] IReadOnlyList<TransformStep> Steps)
{
    /// <summary>For a version written by SQL: every dataset version the query read, as <c>name@version</c>.</summary>
    [Id(5)]
    public IReadOnlyList<string> Reads { get; init; } = [];

    /// <summary>The versions this one was made from: the parent and the versions a query read (<see cref="Reads"/>), each once.</summary>
    public IReadOnlyList<(string Dataset, int Version)> Parents()
    {
        var parents = new List<(string, int)>();
        if (ParentDataset is { } dataset && ParentVersion is { } version)
        {
            parents.Add((dataset, version));
        }

        foreach (var read in Reads)
        {
            var at = read.LastIndexOf('@');
            if (at > 0 && int.TryParse(read.AsSpan(at + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
                && !parents.Contains((read[..at], number)))
            {
                parents.Add((read[..at], number));
            }
        }

        return parents;
    }
}
