using System.Text.Json;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Formats.Export;

/// <summary>
/// A row of a batch as a JSON object: numbers, booleans, strings, ISO 8601 timestamps, vectors as
/// arrays, nulls as null. A float64 that JSON cannot carry (NaN, infinities) is written as its text.
/// </summary>
public static class RowJsonWriter
{
    public static void WriteRow(Utf8JsonWriter writer, ColumnBatch batch, int row)
    {
        writer.WriteStartObject();
        foreach (var column in batch.Columns)
        {
            writer.WritePropertyName(column.Name);
            WriteValue(writer, column, row);
        }

        writer.WriteEndObject();
    }

    public static void WriteValue(Utf8JsonWriter writer, Column column, int row)
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
