using System.Collections.Immutable;

namespace OrleansMl.Data.Statistics;

/// <summary>
/// Equal-width bins between a column's min and max: bin i covers [Edges[i], Edges[i + 1]), the last
/// bin also holds the max. <see cref="Edges"/> has one more entry than <see cref="Counts"/>. The
/// counts are read from the mergeable quantile sketch's distribution, not counted per row, so they
/// merge across partitions; they are exact while the sketch holds every value (a few hundred rows)
/// and otherwise carry the sketch's rank error, about 1% of the row count at each edge. They
/// always add up to the column's count.
/// </summary>
public sealed record Histogram(ImmutableArray<double> Edges, ImmutableArray<long> Counts);
