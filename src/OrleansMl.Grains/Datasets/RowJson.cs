using System.Text;
using System.Text.Json;
using OrleansMl.Data.Columns;
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
            writer.WriteStartObject();
            foreach (var column in batch.Columns)
            {
                writer.WritePropertyName(column.Name);
                WriteValue(writer, column, row);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static string Array(IEnumerable<string> rows) => "[" + string.Join(',', rows) + "]";

    public static IReadOnlyList<DatasetColumn> Columns(DatasetSchema schema) =>
        [.. schema.Columns.Select(c => new DatasetColumn(c.Name, SchemaJson.TypeName(c.Type), c.VectorLength))];

    public static DatasetSchema Schema(IReadOnlyList<DatasetColumn> columns) =>
        new(columns.Select(c => new ColumnSchema(c.Name, SchemaJson.ParseType(c.Type), c.VectorLength)));

    private static void WriteValue(Utf8JsonWriter writer, Column column, int row)
    {
        if (column.IsNull(row))
        {
            writer.WriteNullValue();
            return;
        }

        switch (column)
        {
            case Int64Column times when column.Type == ColumnType.Timestamp:
                writer.WriteStringValue(DateTime.UnixEpoch.AddTicks(times.Values[row] * TimeSpan.TicksPerMicrosecond));
                break;
            case Int64Column longs:
                writer.WriteNumberValue(longs.Values[row]);
                break;
            case Float64Column doubles when double.IsFinite(doubles.Values[row]):
                writer.WriteNumberValue(doubles.Values[row]);
                break;
            case Float64Column doubles:
                writer.WriteStringValue(doubles.Values[row].ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case BooleanColumn booleans:
                writer.WriteBooleanValue(booleans.Values[row]);
                break;
            case StringColumn strings:
                writer.WriteStringValue(strings.Values[row]);
                break;
            case VectorColumn vectors:
                writer.WriteStartArray();
                foreach (var value in vectors.Row(row))
                {
                    writer.WriteNumberValue(value);
                }

                writer.WriteEndArray();
                break;
        }
    }
}
