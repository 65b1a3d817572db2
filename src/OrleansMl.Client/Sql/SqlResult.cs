using System.Text.Json;

namespace OrleansMl.Client;

/// <summary>
/// A query's answer: its columns, one JSON object a row, whether rows were cut, the dataset version it
/// read first and every version it read (<see cref="Reads"/>, as <c>name@version</c>). For a query
/// written to a dataset: no rows, <see cref="Dataset"/> and <see cref="Version"/> the new version and
/// <see cref="Written"/> its rows. <see cref="Id"/> names the query (to cancel it, or to read its kept pages);
/// with pages, <see cref="TotalRows"/> is every row kept and <see cref="Rows"/> one page of them.
/// </summary>
public sealed record SqlResult(
    IReadOnlyList<DatasetColumn> Columns, int RowCount, IReadOnlyList<JsonElement> Rows, bool Truncated, string Dataset, int Version, int Partitions,
    IReadOnlyList<string>? Reads = null, long? Written = null, string? Id = null, long? TotalRows = null);
