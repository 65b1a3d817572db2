using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Columns;

public abstract class PrimitiveColumnBuilder<T>(ColumnSchema schema, int capacity) : ColumnBuilder(schema)
    where T : unmanaged
{
    private T[] _values = new T[Math.Max(capacity, 16)];

    public void Append(T value)
    {
        if (Count == _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
        }

        _values[Count++] = value;
    }

    public override void AppendColumn(Column column)
    {
        var values = ((PrimitiveColumn<T>)column).Values;
        if (Count + values.Length > _values.Length)
        {
            Array.Resize(ref _values, Math.Max(_values.Length * 2, Count + values.Length));
        }

        CopyNulls(column);
        values.CopyTo(_values.AsSpan(Count));
        Count += values.Length;
    }

    public override Column Build()
    {
        var values = _values.Length == Count ? _values : _values.AsSpan(0, Count).ToArray();
        return Create(values, BuildNulls());
    }

    protected override void AppendDefault() => Append(default);

    protected abstract Column Create(T[] values, NullMask? nulls);
}

public sealed class Int64ColumnBuilder(ColumnSchema schema, int capacity = 1024) : PrimitiveColumnBuilder<long>(schema, capacity)
{
    protected override Column Create(long[] values, NullMask? nulls) => new Int64Column(Schema, values, nulls);
}

public sealed class Float64ColumnBuilder(ColumnSchema schema, int capacity = 1024) : PrimitiveColumnBuilder<double>(schema, capacity)
{
    protected override Column Create(double[] values, NullMask? nulls) => new Float64Column(Schema, values, nulls);
}

public sealed class BooleanColumnBuilder(ColumnSchema schema, int capacity = 1024) : PrimitiveColumnBuilder<bool>(schema, capacity)
{
    protected override Column Create(bool[] values, NullMask? nulls) => new BooleanColumn(Schema, values, nulls);
}
