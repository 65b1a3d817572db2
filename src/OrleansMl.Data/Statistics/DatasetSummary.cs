namespace OrleansMl.Data.Statistics;

/// <summary>The result of <c>describe</c>: the row count and one summary per described column, in schema order.</summary>
public sealed record DatasetSummary(long RowCount, IReadOnlyList<ColumnSummary> Columns)
{
    /// <summary>The summary of the named column, or null when it was not described.</summary>
    public ColumnSummary? Find(string name)
    {
        foreach (var column in Columns)
        {
            if (column.Name == name)
            {
                return column;
            }
        }

        return null;
    }
}
