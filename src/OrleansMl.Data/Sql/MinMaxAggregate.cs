using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Sql;

/// <summary><c>min(x)</c> and <c>max(x)</c> of numbers, timestamps, booleans or text (ordinal order); null when no row has a value.</summary>
internal sealed class MinMaxAggregate(string name, bool max, ColumnType type) : SqlAggregate(name)
{
    public override ColumnType ResultType => type;

    public override IReadOnlyList<ColumnType> StateTypes { get; } = [type];

    public override Column[] Accumulate(Column? argument, int[] ids, int groups, int rows, string prefix) =>
        [Pick(argument!, ids, groups, State(prefix, 0))];

    public override Column[] Merge(IReadOnlyList<Column> states, int[] ids, int groups, string prefix) =>
        [Pick(states[0], ids, groups, State(prefix, 0))];

    public override Column Finish(IReadOnlyList<Column> states, string name) => states[0].WithSchema(new ColumnSchema(name, type));

    private Column Pick(Column values, int[] ids, int groups, ColumnSchema schema)
    {
        var best = new int[groups];
        best.AsSpan().Fill(-1);
        var compare = RowComparer.For(values);
        for (var row = 0; row < ids.Length; row++)
        {
            if (values.IsNull(row))
            {
                continue;
            }

            var current = best[ids[row]];
            if (current < 0 || (max ? compare(row, current) > 0 : compare(row, current) < 0))
            {
                best[ids[row]] = row;
            }
        }

        if (!best.AsSpan().Contains(-1))
        {
            return values.Take(best).WithSchema(schema);
        }

        var builder = ColumnBuilder.Create(schema, groups);
        foreach (var row in best)
        {
            if (row < 0)
            {
                builder.AppendNull();
            }
            else
            {
                builder.AppendColumn(values.Slice(row, 1));
            }
        }

        return builder.Build();
    }
}
