using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Columns;

/// <summary>
/// One column of an in-memory batch: a typed array plus an optional null mask. Columns are
/// immutable once built; operations return new columns.
/// </summary>
public abstract class Column
{
    protected Column(ColumnSchema schema, int length, NullMask? nulls)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (nulls is not null && nulls.Length != length)
        {
            throw new ArgumentException("The null mask length differs from the column length.", nameof(nulls));
        }

        Schema = schema;
        Length = length;
        Nulls = nulls;
    }

    public ColumnSchema Schema { get; }

    public string Name => Schema.Name;

    public ColumnType Type => Schema.Type;

    public int Length { get; }

    /// <summary>The null mask, or null when the column has no nulls.</summary>
    public NullMask? Nulls { get; }

    public bool IsNull(int row) => Nulls is { } nulls && nulls[row];

    public int CountNulls() => Nulls?.CountNulls() ?? 0;

    /// <summary>Approximate heap bytes held by this column.</summary>
    public abstract long EstimatedBytes { get; }

    /// <summary>The rows at the given indices, in that order.</summary>
    public abstract Column Take(ReadOnlySpan<int> rows);

    /// <summary>Rows [start, start + length).</summary>
    public abstract Column Slice(int start, int length);

    /// <summary>The same data under another schema entry (rename, or a logical type over the same storage).</summary>
    public abstract Column WithSchema(ColumnSchema schema);

    /// <summary>
    /// The value of one row as a plain CLR object (long, double, bool, string, DateTime, float[]),
    /// or null. For previews and tests; hot paths use the typed arrays.
    /// </summary>
    public abstract object? GetValue(int row);

    /// <summary>Concatenates columns of the same schema entry.</summary>
    public static Column Concat(IReadOnlyList<Column> parts)
    {
        ArgumentOutOfRangeException.ThrowIfZero(parts.Count);
        var builder = ColumnBuilder.Create(parts[0].Schema, parts.Sum(p => p.Length));
        foreach (var part in parts)
        {
            builder.AppendColumn(part);
        }

        return builder.Build();
    }
}
