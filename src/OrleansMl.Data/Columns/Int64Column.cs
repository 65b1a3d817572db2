using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Columns;

/// <summary>64-bit integers; also the storage of timestamps (microseconds since the Unix epoch, UTC).</summary>
public sealed class Int64Column(ColumnSchema schema, long[] values, NullMask? nulls = null)
    : PrimitiveColumn<long>(schema, values, nulls)
{
    public override object? GetValue(int row) =>
        IsNull(row) ? null
        : Type == ColumnType.Timestamp ? DateTime.UnixEpoch.AddTicks(Values[row] * TimeSpan.TicksPerMicrosecond)
        : Values[row];

    protected override Column Create(ColumnSchema schema, long[] values, NullMask? nulls) => new Int64Column(schema, values, nulls);
}
