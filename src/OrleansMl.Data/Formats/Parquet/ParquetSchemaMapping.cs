using Parquet.Schema;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Formats.Parquet;

/// <summary>
/// How a Parquet field reads as a dataset column (<see cref="FromField"/>), and the key-value metadata entry
/// (<see cref="SchemaMetadataKey"/>) that carries a part file's exact dataset schema, so categorical columns and vector
/// lengths round-trip. <see cref="ParquetFooter"/> writes the fields themselves.
/// </summary>
public static class ParquetSchemaMapping
{
    public const string SchemaMetadataKey = "orleansml.schema";

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
