using System.Globalization;
using System.Text;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Formats;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Transforms;

/// <summary>
/// Converts a column to another type. Numbers convert to each other (float64 → int64 truncates toward
/// zero; NaN and out-of-range values fail), booleans are 1/0, timestamps are microseconds as int64,
/// everything except vectors formats to text (invariant culture, ISO 8601), and text parses to the
/// target type. A value that does not convert is an error naming the row, or null when
/// <paramref name="failuresToNull"/> is set.
/// </summary>
public static class ColumnCast
{
    public static Column Cast(Column column, ColumnType target, bool failuresToNull = false)
    {
        var schema = column.Schema with { Type = target };
        if (column.Type == target)
        {
            return column;
        }

        if (column.Type == ColumnType.Vector || target == ColumnType.Vector)
        {
            throw new SchemaException($"Column '{column.Name}' cannot be cast from {SchemaJson.TypeName(column.Type)} to {SchemaJson.TypeName(target)}; use the assemble transform to build vectors.");
        }

        if (column is StringColumn text && target is ColumnType.String or ColumnType.Categorical)
        {
            return text.WithSchema(schema);
        }

        if (column is Int64Column && target is ColumnType.Int64 or ColumnType.Timestamp)
        {
            return column.WithSchema(schema);
        }

        var builder = ColumnBuilder.Create(schema, column.Length);
        for (var row = 0; row < column.Length; row++)
        {
            if (column.IsNull(row))
            {
                builder.AppendNull();
            }
            else if (!TryAppend(builder, column, row))
            {
                if (!failuresToNull)
                {
                    throw new SchemaException($"Column '{column.Name}', row {row + 1}: the value '{column.GetValue(row)}' cannot be cast to {SchemaJson.TypeName(target)}.");
                }

                builder.AppendNull();
            }
        }

        return builder.Build();
    }

    private static bool TryAppend(ColumnBuilder builder, Column column, int row)
    {
        switch (builder)
        {
            case StringColumnBuilder s:
                s.Append(Format(column, row));
                return true;
            case Float64ColumnBuilder f when TryNumber(column, row, out var d):
                f.Append(d);
                return true;
            case Int64ColumnBuilder i when builder.Schema.Type == ColumnType.Timestamp && column is StringColumn strings:
                return Append(i, Utf8Values.TryParseTimestamp(strings.Values[row].AsSpan(), out var micros), micros);
            case Int64ColumnBuilder i when TryNumber(column, row, out var d):
                var truncated = Math.Truncate(d);
                return Append(i, !double.IsNaN(d) && truncated >= long.MinValue && truncated < 9.2233720368547758E18, (long)truncated);
            case BooleanColumnBuilder b when column is StringColumn strings:
                return Append(b, Utf8Values.TryParseBoolean(Encoding.UTF8.GetBytes(strings.Values[row]!), out var flag), flag);
            case BooleanColumnBuilder b when TryNumber(column, row, out var d):
                return Append(b, !double.IsNaN(d), d != 0);
            default:
                return false;
        }
    }

    private static bool Append<T>(PrimitiveColumnBuilder<T> builder, bool ok, T value)
        where T : unmanaged
    {
        if (ok)
        {
            builder.Append(value);
        }

        return ok;
    }

    private static bool TryNumber(Column column, int row, out double value)
    {
        switch (column)
        {
            case Int64Column longs:
                value = longs.Values[row];
                return true;
            case Float64Column doubles:
                value = doubles.Values[row];
                return true;
            case BooleanColumn booleans:
                value = booleans.Values[row] ? 1 : 0;
                return true;
            case StringColumn strings:
                return double.TryParse(strings.Values[row], NumberStyles.Float, CultureInfo.InvariantCulture, out value);
            default:
                value = 0;
                return false;
        }
    }

    private static string? Format(Column column, int row) => column switch
    {
        Int64Column times when column.Type == ColumnType.Timestamp =>
            DateTime.UnixEpoch.AddTicks(times.Values[row] * TimeSpan.TicksPerMicrosecond).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        Int64Column longs => longs.Values[row].ToString(CultureInfo.InvariantCulture),
        Float64Column doubles => doubles.Values[row].ToString("R", CultureInfo.InvariantCulture),
        BooleanColumn booleans => booleans.Values[row] ? "true" : "false",
        _ => column.GetValue(row)?.ToString(),
    };
}
