using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Columns;

/// <summary>
/// Builds one batch row by row, for readers: append one value to every column, then
/// <see cref="Commit"/> the row, or <see cref="Rollback"/> a row that turned out bad half-way.
/// </summary>
public sealed class RowBatchBuilder
{
    private readonly DatasetSchema _schema;
    private readonly ColumnBuilder[] _columns;

    public RowBatchBuilder(DatasetSchema schema, int capacity)
    {
        _schema = schema;
        _columns = new ColumnBuilder[schema.Count];
        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i] = ColumnBuilder.Create(schema[i], capacity);
        }
    }

    /// <summary>Number of columns.</summary>
    public int Length => _columns.Length;

    /// <summary>Committed rows.</summary>
    public int Rows { get; private set; }

    public ColumnBuilder this[int column] => _columns[column];

    public void Commit() => Rows++;

    /// <summary>Drops whatever was appended since the last committed row.</summary>
    public void Rollback()
    {
        foreach (var column in _columns)
        {
            if (column.Count > Rows)
            {
                column.Truncate(Rows);
            }
        }
    }

    /// <summary>The committed rows as a batch, or null when there are none.</summary>
    public ColumnBatch? Build() => Rows == 0 ? null : new ColumnBatch(_schema, [.. _columns.Select(c => c.Build())]);
}
