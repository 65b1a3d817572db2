using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Columns;

public sealed class Float64Column(ColumnSchema schema, double[] values, NullMask? nulls = null)
    : PrimitiveColumn<double>(schema, values, nulls)
{
    public override object? GetValue(int row) => IsNull(row) ? null : Values[row];

    protected override Column Create(ColumnSchema schema, double[] values, NullMask? nulls) => new Float64Column(schema, values, nulls);
}
