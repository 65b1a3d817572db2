using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Columns;

public sealed class BooleanColumn(ColumnSchema schema, bool[] values, NullMask? nulls = null)
    : PrimitiveColumn<bool>(schema, values, nulls)
{
    public override object? GetValue(int row) => IsNull(row) ? null : Values[row];

    protected override Column Create(ColumnSchema schema, bool[] values, NullMask? nulls) => new BooleanColumn(schema, values, nulls);
}
