namespace OrleansMl.Data.Schema;

/// <summary>One column of a dataset: its name, type and, for vectors, the vector length.</summary>
public sealed record ColumnSchema(string Name, ColumnType Type, int VectorLength = 0)
{
    /// <summary>True for the types arithmetic and statistics treat as numbers.</summary>
    public bool IsNumeric => Type is ColumnType.Int64 or ColumnType.Float64 or ColumnType.Boolean or ColumnType.Timestamp;

    /// <summary>True for the text types.</summary>
    public bool IsText => Type is ColumnType.String or ColumnType.Categorical;

    /// <inheritdoc />
    public override string ToString() =>
        Type == ColumnType.Vector ? $"{Name}: vector[{VectorLength}]" : $"{Name}: {Type.ToString().ToLowerInvariant()}";
}
