using System.Runtime.CompilerServices;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Columns;

/// <summary>A column of unmanaged values: <see cref="Int64Column"/>, <see cref="Float64Column"/>, <see cref="BooleanColumn"/>.</summary>
public abstract class PrimitiveColumn<T> : Column
    where T : unmanaged
{
    private readonly T[] _values;

    protected PrimitiveColumn(ColumnSchema schema, T[] values, NullMask? nulls)
        : base(schema, values.Length, nulls) => _values = values;

    /// <summary>The values; a null row holds default(T).</summary>
    public ReadOnlySpan<T> Values => _values;

    /// <summary>The backing array, for kernels that need an array (it must not be written).</summary>
    public T[] UnsafeArray => _values;

    public override long EstimatedBytes => ((long)_values.Length * Unsafe.SizeOf<T>()) + (Nulls?.EstimatedBytes ?? 0);

    public override Column Take(ReadOnlySpan<int> rows)
    {
        var values = new T[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            values[i] = _values[rows[i]];
        }

        return Create(Schema, values, Nulls?.Take(rows));
    }

    public override Column Slice(int start, int length) =>
        Create(Schema, _values.AsSpan(start, length).ToArray(), Nulls?.Slice(start, length));

    public override Column WithSchema(ColumnSchema schema) => Create(schema, _values, Nulls);

    protected abstract Column Create(ColumnSchema schema, T[] values, NullMask? nulls);
}
