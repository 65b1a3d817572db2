using System.Text;
using System.Text.Json;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats.Export;
using OrleansMl.Data.Schema;

namespace OrleansMl.Datasets;

/// <summary>Rows of a batch as JSON objects (previews): numbers, booleans, strings, ISO 8601 timestamps, vectors as arrays.</summary>
public static class RowJson
{
    public static string Row(ColumnBatch batch, int row)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            RowJsonWriter.WriteRow(writer, batch, row);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Every row of <paramref name="batch"/> as one JSON array, written by one writer.</summary>
    public static string Rows(ColumnBatch batch)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            for (var row = 0; row < batch.RowCount; row++)
            {
                RowJsonWriter.WriteRow(writer, batch, row);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static string Array(IEnumerable<string> rows) => "[" + string.Join(',', rows) + "]";

    public static IReadOnlyList<DatasetColumn> Columns(DatasetSchema schema) =>
        [.. schema.Columns.Select(c => new DatasetColumn(c.Name, SchemaJson.TypeName(c.Type), c.VectorLength))];

    public static DatasetSchema Schema(IReadOnlyList<DatasetColumn> columns) =>
        new(columns.Select(c => new ColumnSchema(c.Name, SchemaJson.ParseType(c.Type), c.VectorLength)));
}
