using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Columns;

/// <summary>
/// Text values (types String and Categorical); a null entry is a null row. A column read from dictionary-encoded
/// Parquet is held as codes into its distinct values (<see cref="TryGetCodes"/>): four bytes a row and no reference
/// for the garbage collector to trace, grouped and gathered by code. Its strings are made only when something asks
/// for <see cref="Values"/>, once.
/// </summary>
public sealed class StringColumn : Column
{
    private string?[]? _values;
    private readonly int[]? _codes;
    private readonly string[]? _dictionary;
    private long _estimatedBytes = -1;

    public StringColumn(ColumnSchema schema, string?[] values)
        : base(schema, values.Length, MaskOf(values)) => _values = values;

    /// <summary>A column whose null rows are already known: <paramref name="nulls"/> marks exactly the null entries of <paramref name="values"/>.</summary>
    internal StringColumn(ColumnSchema schema, string?[] values, NullMask? nulls)
        : base(schema, values.Length, nulls) => _values = values;

    /// <summary>
    /// A column of codes into <paramref name="dictionary"/>, which holds distinct values (so equal codes are equal text
    /// and the other way round); a null row (marked in <paramref name="nulls"/>) has any code.
    /// </summary>
    internal StringColumn(ColumnSchema schema, int[] codes, string[] dictionary, NullMask? nulls)
        : base(schema, codes.Length, nulls)
    {
        _codes = codes;
        _dictionary = dictionary;
    }

    public ReadOnlySpan<string?> Values => _values ??= Materialize();

    /// <summary>The codes and distinct values when the column is held as codes (null rows' codes mean nothing).</summary>
    internal bool TryGetCodes(out ReadOnlySpan<int> codes, out string[] dictionary)
    {
        codes = _codes;
        dictionary = _dictionary!;
        return _codes is not null;
    }

    /// <summary>The text counted once (the column never changes; the partition cache asks on every use), and strings made since.</summary>
    public override long EstimatedBytes
    {
        get
        {
            if (_estimatedBytes < 0)
            {
                _estimatedBytes = _codes is not null
                    ? ((long)_codes.Length * sizeof(int)) + TextBytes(_dictionary!)
                    : ((long)_values!.Length * IntPtr.Size) + TextBytes(_values);
            }

            return _estimatedBytes + (_codes is not null && _values is not null ? (long)_values.Length * IntPtr.Size : 0);
        }
    }

    public override Column Take(ReadOnlySpan<int> rows)
    {
        if (_codes is not null && _values is null)
        {
            var codes = new int[rows.Length];
            for (var i = 0; i < rows.Length; i++)
            {
                codes[i] = _codes[rows[i]];
            }

            return new StringColumn(Schema, codes, _dictionary!, Nulls?.Take(rows));
        }

        var source = Values;
        var values = new string?[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            values[i] = source[rows[i]];
        }

        return new StringColumn(Schema, values);
    }

    public override Column Slice(int start, int length) => _codes is not null && _values is null
        ? new StringColumn(Schema, _codes.AsSpan(start, length).ToArray(), _dictionary!, Nulls?.Slice(start, length))
        : new StringColumn(Schema, Values.Slice(start, length).ToArray());

    public override Column WithSchema(ColumnSchema schema) => _codes is not null
        ? new StringColumn(schema, _codes, _dictionary!, Nulls) { _values = _values }
        : new StringColumn(schema, _values!, Nulls);

    public override object? GetValue(int row) => IsNull(row) ? null : _values is not null ? _values[row] : _dictionary![_codes![row]];

    private string?[] Materialize()
    {
        var values = new string?[_codes!.Length];
        var dictionary = _dictionary!;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = IsNull(i) ? null : dictionary[_codes[i]];
        }

        return values;
    }

    private static long TextBytes(ReadOnlySpan<string?> values)
    {
        long bytes = 0;
        foreach (var value in values)
        {
            bytes += value is null ? 0 : 22 + (value.Length * 2L);
        }

        return bytes;
    }

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
