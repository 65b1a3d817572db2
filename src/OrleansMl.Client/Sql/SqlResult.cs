using System.Text.Json;

namespace OrleansMl.Client;

/// <summary>A query's answer: its columns, one JSON object a row, whether rows were cut, and the dataset version it read.</summary>
public sealed record SqlResult(IReadOnlyList<DatasetColumn> Columns, int RowCount, IReadOnlyList<JsonElement> Rows, bool Truncated, string Dataset, int Version, int Partitions);
