using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Columns;

/// <summary>Builds one column row by row (parsers) or from other columns (concatenation).</summary>
public abstract class ColumnBuilder
{
    private NullMaskBuilder _nulls;

    protected ColumnBuilder(ColumnSchema schema) => Schema = schema;

    public ColumnSchema Schema { get; }

    /// <summary>Rows appended so far.</summary>
    public int Count { get; protected set; }

    public static ColumnBuilder Create(ColumnSchema schema, int capacity = 1024) => schema.Type switch
    {
        ColumnType.Int64 or ColumnType.Timestamp => new Int64ColumnBuilder(schema, capacity),
        ColumnType.Float64 => new Float64ColumnBuilder(schema, capacity),
        ColumnType.Boolean => new BooleanColumnBuilder(schema, capacity),
        ColumnType.String or ColumnType.Categorical => new StringColumnBuilder(schema, capacity),
        ColumnType.Vector => new VectorColumnBuilder(schema, capacity),
        _ => throw new SchemaException($"Column '{schema.Name}' has an unknown type {schema.Type}."),
    };

    public void AppendNull()
    {
        _nulls.SetNull(Count);
        AppendDefault();
    }

    /// <summary>Drops rows appended after the first <paramref name="count"/> (undoes a half-appended record).</summary>
    public void Truncate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        _nulls.Truncate(count);
        Count = count;
        OnTruncated(count);
    }

    /// <summary>Appends every row of a column with the same storage type.</summary>
    public abstract void AppendColumn(Column column);

    public abstract Column Build();

    protected abstract void AppendDefault();

    protected virtual void OnTruncated(int count)
    {
    }

    protected NullMask? BuildNulls() => _nulls.Build(Count);

    protected void CopyNulls(Column column)
    {
        if (column.Nulls is { } nulls)
        {
            for (var i = 0; i < column.Length; i++)
            {
                if (nulls[i])
                {
                    _nulls.SetNull(Count + i);
                }
            }
        }
    }

    private struct NullMaskBuilder
    {
        private List<int>? _rows;

        public void SetNull(int row) => (_rows ??= []).Add(row);

        public readonly void Truncate(int count)
        {
            while (_rows is { Count: > 0 } rows && rows[^1] >= count)
            {
                rows.RemoveAt(rows.Count - 1);
            }
        }

        public readonly NullMask? Build(int length)
        {
            if (_rows is null)
            {
                return null;
            }

            var mask = new NullMask(length);
            foreach (var row in _rows)
            {
                mask.SetNull(row);
            }

            return mask;
        }
    }
}
