using Parquet.Schema;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Formats.Parquet;

/// <summary>
/// Maps dataset columns to Parquet fields: int64 → INT64, float64 → DOUBLE, boolean → BOOLEAN,
/// string and categorical → UTF8 (dictionary-encoded when values repeat), timestamp → TIMESTAMP(MICROS, UTC),
/// vector → LIST&lt;FLOAT&gt;. All are nullable. The exact schema also travels in the file's key-value
/// metadata under <see cref="SchemaMetadataKey"/>, so categorical columns round-trip.
/// </summary>
public static class ParquetSchemaMapping
{
    public const string SchemaMetadataKey = "orleansml.schema";

    public static Field ToField(ColumnSchema column) => column.Type switch
    {
        ColumnType.Int64 => new DataField<long?>(column.Name),
        ColumnType.Float64 => new DataField<double?>(column.Name),
        ColumnType.Boolean => new DataField<bool?>(column.Name),
        ColumnType.String or ColumnType.Categorical => new DataField<string>(column.Name, true),
        ColumnType.Timestamp => new DateTimeDataField(column.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
        ColumnType.Vector => new ListField(column.Name, new DataField<float>("element")),
        _ => throw new SchemaException($"Column '{column.Name}' has an unknown type {column.Type}."),
    };

    public static ParquetSchema ToParquet(DatasetSchema schema) => new([.. schema.Columns.Select(ToField)]);

    /// <summary>The column type a foreign Parquet field reads as, or null when it is not supported (nested, binary).</summary>
    public static ColumnType? FromField(Field field) => field switch
    {
        ListField { Item: DataField item } when IsNumber(item.ClrType) => ColumnType.Vector,
        DataField data when data.MaxRepetitionLevel == 0 => FromClrType(data.ClrType),
        _ => null,
    };

    private static ColumnType? FromClrType(Type type) => type switch
    {
        _ when type == typeof(bool) => ColumnType.Boolean,
        _ when type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(sbyte)
            || type == typeof(byte) || type == typeof(ushort) || type == typeof(uint) => ColumnType.Int64,
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) || type == typeof(ulong) || type == typeof(Half) => ColumnType.Float64,
        _ when type == typeof(string) || type == typeof(ReadOnlyMemory<char>) => ColumnType.String,
        _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) => ColumnType.Timestamp,
        _ => null,
    };

    private static bool IsNumber(Type type) =>
        type == typeof(float) || type == typeof(double) || type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte);
}
