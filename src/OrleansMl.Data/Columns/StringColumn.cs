using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Columns;

/// <summary>Text values (types String and Categorical); a null entry is a null row.</summary>
public sealed class StringColumn : Column
{
    private readonly string?[] _values;
    private long _estimatedBytes = -1;

    public StringColumn(ColumnSchema schema, string?[] values)
        : base(schema, values.Length, MaskOf(values)) => _values = values;

    /// <summary>A column whose null rows are already known: <paramref name="nulls"/> marks exactly the null entries of <paramref name="values"/>.</summary>
    internal StringColumn(ColumnSchema schema, string?[] values, NullMask? nulls)
        : base(schema, values.Length, nulls) => _values = values;

    public ReadOnlySpan<string?> Values => _values;

    /// <summary>Counted once (the column never changes): the partition cache asks on every use.</summary>
    public override long EstimatedBytes
    {
        get
        {
            if (_estimatedBytes < 0)
            {
                long bytes = (long)_values.Length * IntPtr.Size;
                foreach (var value in _values)
                {
                    bytes += value is null ? 0 : 22 + (value.Length * 2L);
                }

                _estimatedBytes = bytes;
            }

            return _estimatedBytes;
        }
    }

    public override Column Take(ReadOnlySpan<int> rows)
    {
        var values = new string?[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            values[i] = _values[rows[i]];
        }

        return new StringColumn(Schema, values);
    }

    public override Column Slice(int start, int length) => new StringColumn(Schema, _values.AsSpan(start, length).ToArray());

    public override Column WithSchema(ColumnSchema schema) => new StringColumn(schema, _values);

    public override object? GetValue(int row) => _values[row];

    private static NullMask? MaskOf(string?[] values)
    {
        NullMask? mask = null;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is null)
            {
                (mask ??= new NullMask(values.Length)).SetNull(i);
            }
        }

        return mask;
    }
}
