using System.Text.Json;

namespace OrleansMl.Client;

/// <summary>Rows of a preview (head or sample): the columns, and one JSON object a row.</summary>
public sealed record DatasetRows(IReadOnlyList<DatasetColumn> Columns, int RowCount, IReadOnlyList<JsonElement> Rows);
