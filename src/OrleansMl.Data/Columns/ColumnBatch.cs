using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Columns;

/// <summary>A set of equal-length columns: the unit that readers produce, transforms consume and partitions cache.</summary>
public sealed class ColumnBatch
{
    public ColumnBatch(DatasetSchema schema, IReadOnlyList<Column> columns)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count != schema.Count)
        {
            throw new ArgumentException($"The schema has {schema.Count} columns; {columns.Count} were given.", nameof(columns));
        }

        var rows = columns.Count == 0 ? 0 : columns[0].Length;
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i].Length != rows)
            {
                throw new ArgumentException($"Column '{columns[i].Name}' has {columns[i].Length} rows; '{columns[0].Name}' has {rows}.", nameof(columns));
            }

            if (!Equals(columns[i].Schema, schema[i]))
            {
                throw new ArgumentException($"Column {i} is {columns[i].Schema}; the schema says {schema[i]}.", nameof(columns));
            }
        }

        Schema = schema;
        Columns = columns;
        RowCount = rows;
    }

    public ColumnBatch(IReadOnlyList<Column> columns)
        : this(new DatasetSchema(columns.Select(c => c.Schema)), columns)
    {
    }

    public DatasetSchema Schema { get; }

    public IReadOnlyList<Column> Columns { get; }

    public int RowCount { get; }

    public Column this[int index] => Columns[index];

    public Column this[string name] => Columns[Schema.IndexOf(name) is >= 0 and var i ? i : throw new SchemaException($"Unknown column '{name}'.")];

    public long EstimatedBytes => Columns.Sum(c => c.EstimatedBytes);

    public static ColumnBatch Empty(DatasetSchema schema) =>
        new(schema, [.. schema.Columns.Select(c => ColumnBuilder.Create(c, 0).Build())]);

    public ColumnBatch Take(ReadOnlySpan<int> rows)
    {
        var columns = new Column[Columns.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = Columns[i].Take(rows);
        }

        return new ColumnBatch(Schema, columns);
    }

    public ColumnBatch Slice(int start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + length, RowCount);
        return new ColumnBatch(Schema, [.. Columns.Select(c => c.Slice(start, length))]);
    }

    /// <summary>Appends batches of one schema into one batch.</summary>
    public static ColumnBatch Concat(DatasetSchema schema, IReadOnlyList<ColumnBatch> batches)
    {
        if (batches.Count == 1)
        {
            return batches[0];
        }

        if (batches.Count == 0)
        {
            return Empty(schema);
        }

        var columns = new Column[schema.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            var index = c;
            columns[c] = Column.Concat([.. batches.Select(b => b.Columns[index])]);
        }

        return new ColumnBatch(schema, columns);
    }
}
