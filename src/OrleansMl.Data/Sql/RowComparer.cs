using OrleansMl.Data.Columns;

namespace OrleansMl.Data.Sql;

/// <summary>Compares two non-null rows of one column: numbers and timestamps by value (NaN above every number, as DuckDB orders it), false before true, text ordinally.</summary>
internal static class RowComparer
{
    public static Func<int, int, int> For(Column column) => column switch
    {
        Int64Column integers => (a, b) => integers.UnsafeArray[a].CompareTo(integers.UnsafeArray[b]),
        Float64Column floats => (a, b) => Compare(floats.UnsafeArray[a], floats.UnsafeArray[b]),
        BooleanColumn booleans => (a, b) => booleans.UnsafeArray[a].CompareTo(booleans.UnsafeArray[b]),
        StringColumn strings => (a, b) => string.CompareOrdinal(strings.Values[a], strings.Values[b]),
        _ => throw new Schema.SchemaException($"Rows cannot be ordered by '{column.Name}', a {column.Type.ToString().ToLowerInvariant()} column."),
    };

    private static int Compare(double a, double b) => double.IsNaN(a) ? (double.IsNaN(b) ? 0 : 1) : double.IsNaN(b) ? -1 : a.CompareTo(b);
}
