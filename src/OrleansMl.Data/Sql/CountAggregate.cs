using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Sql;

/// <summary><c>count(*)</c> (every row) or <c>count(x)</c> (rows where x is not null, x a value or a vector column); never null.</summary>
internal sealed class CountAggregate(string? vectorColumn = null) : SqlAggregate("count")
{
    public override string? VectorColumn => vectorColumn;

    public override ColumnType ResultType => ColumnType.Int64;

    public override IReadOnlyList<ColumnType> StateTypes { get; } = [ColumnType.Int64];

    public override Column[] Accumulate(Column? argument, int[] ids, int groups, int rows, string prefix)
    {
        var counts = new long[groups];
        for (var row = 0; row < rows; row++)
        {
            if (argument is null || !argument.IsNull(row))
            {
                counts[ids[row]]++;
            }
        }

        return [new Int64Column(State(prefix, 0), counts)];
    }

    public override Column[] Merge(IReadOnlyList<Column> states, int[] ids, int groups, string prefix)
    {
        var counts = new long[groups];
        var source = ((Int64Column)states[0]).Values;
        for (var row = 0; row < ids.Length; row++)
        {
            counts[ids[row]] += source[row];
        }

        return [new Int64Column(State(prefix, 0), counts)];
    }

    public override Column Finish(IReadOnlyList<Column> states, string name) => states[0].WithSchema(new ColumnSchema(name, ColumnType.Int64));
}
