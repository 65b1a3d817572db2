using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Sql;

/// <summary>
/// One aggregate of a query, computed in two stages: each partition accumulates its rows into
/// per-group state columns, the coordinator merges the states of all partitions per group and
/// finishes them into the result. States are exact (counts, sums, min/max, and for the variance
/// the count, mean and sum of squared deviations merged as Chan et al. do), so the result does not
/// depend on how the rows were partitioned.
/// </summary>
internal abstract class SqlAggregate(string name)
{
    /// <summary>The function as the user named it, lower case (for messages).</summary>
    public string Name { get; } = name;

    public abstract ColumnType ResultType { get; }

    /// <summary>The length of the result (and of vector states) when <see cref="ResultType"/> is a vector.</summary>
    public virtual int VectorLength => 0;

    /// <summary>The vector column the aggregate reads by name (vectors are not expressions, so it is not bound); null for the others.</summary>
    public virtual string? VectorColumn => null;

    /// <summary>The types of the state columns, in order.</summary>
    public abstract IReadOnlyList<ColumnType> StateTypes { get; }

    /// <summary>States of <paramref name="groups"/> groups from raw values (null for count(*)).</summary>
    public abstract Column[] Accumulate(Column? argument, int[] ids, int groups, int rows, string prefix);

    /// <summary>States of <paramref name="groups"/> groups from the states of several partitions, concatenated.</summary>
    public abstract Column[] Merge(IReadOnlyList<Column> states, int[] ids, int groups, string prefix);

    /// <summary>The result per group.</summary>
    public abstract Column Finish(IReadOnlyList<Column> states, string name);

    protected ColumnSchema State(string prefix, int index) => new($"{prefix}_{index}", StateTypes[index]);

    /// <summary>Reads a numeric column (int64, float64, boolean) as doubles; nulls are skipped by the caller.</summary>
    protected static double[] AsDoubles(Column column)
    {
        switch (column)
        {
            case Float64Column floats:
                return floats.UnsafeArray;
            case Int64Column integers:
            {
                var values = new double[integers.Length];
                var source = integers.Values;
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = source[i];
                }

                return values;
            }

            case BooleanColumn booleans:
            {
                var values = new double[booleans.Length];
                var source = booleans.Values;
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = source[i] ? 1 : 0;
                }

                return values;
            }

            default:
                throw new SchemaException($"'{column.Name}' is not a number.");
        }
    }

    protected static NullMask? NullsWhereZero(long[] counts)
    {
        NullMask? nulls = null;
        for (var g = 0; g < counts.Length; g++)
        {
            if (counts[g] == 0)
            {
                (nulls ??= new NullMask(counts.Length)).SetNull(g);
            }
        }

        return nulls;
    }
}
