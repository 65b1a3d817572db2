namespace OrleansMl.Data.Schema;

/// <summary>The ordered columns of a dataset. Column names are unique, compared ordinally.</summary>
public sealed class DatasetSchema : IEquatable<DatasetSchema>
{
    private readonly Dictionary<string, int> _indexByName;

    public DatasetSchema(IEnumerable<ColumnSchema> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Columns = [.. columns];
        _indexByName = new Dictionary<string, int>(Columns.Count, StringComparer.Ordinal);
        for (var i = 0; i < Columns.Count; i++)
        {
            var column = Columns[i];
            if (string.IsNullOrWhiteSpace(column.Name))
            {
                throw new SchemaException($"Column {i + 1} has no name.");
            }

            if (column.Type == ColumnType.Vector && column.VectorLength <= 0)
            {
                throw new SchemaException($"Vector column '{column.Name}' needs a length greater than 0.");
            }

            if (!_indexByName.TryAdd(column.Name, i))
            {
                throw new SchemaException($"Column name '{column.Name}' appears more than once.");
            }
        }
    }

    public IReadOnlyList<ColumnSchema> Columns { get; }

    public int Count => Columns.Count;

    public ColumnSchema this[int index] => Columns[index];

    /// <summary>The index of the named column, or -1.</summary>
    public int IndexOf(string name) => _indexByName.TryGetValue(name, out var index) ? index : -1;

    /// <summary>The named column; throws <see cref="SchemaException"/> listing the known columns when absent.</summary>
    public ColumnSchema Get(string name) =>
        _indexByName.TryGetValue(name, out var index)
            ? Columns[index]
            : throw new SchemaException($"Unknown column '{name}'. Columns: {string.Join(", ", Columns.Select(c => c.Name))}.");

    public bool Equals(DatasetSchema? other) => other is not null && Columns.SequenceEqual(other.Columns);

    public override bool Equals(object? obj) => Equals(obj as DatasetSchema);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var column in Columns)
        {
            hash.Add(column);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => string.Join(", ", Columns);
}
