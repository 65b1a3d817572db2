using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Sql;

/// <summary><c>approx_count_distinct(x)</c>: a <see cref="DistinctSketch"/> per group, exact up to 1,024 distinct values; 0 over no values.</summary>
internal sealed class ApproxCountDistinctAggregate() : SqlAggregate("approx_count_distinct")
{
    public override ColumnType ResultType => ColumnType.Int64;

    public override IReadOnlyList<ColumnType> StateTypes { get; } = [ColumnType.String];

    public override Column[] Accumulate(Column? argument, int[] ids, int groups, int rows, string prefix)
    {
        var sketches = new DistinctSketch[groups];
        for (var row = 0; row < rows; row++)
        {
            if (!argument!.IsNull(row))
            {
                (sketches[ids[row]] ??= new DistinctSketch()).Add(DistinctSketch.Hash(argument, row));
            }
        }

        return [Encode(sketches, prefix)];
    }

    public override Column[] Merge(IReadOnlyList<Column> states, int[] ids, int groups, string prefix)
    {
        var sketches = new DistinctSketch[groups];
        var encoded = ((StringColumn)states[0]).Values;
        for (var row = 0; row < ids.Length; row++)
        {
            if (encoded[row] is { } state)
            {
                (sketches[ids[row]] ??= new DistinctSketch()).Merge(state);
            }
        }

        return [Encode(sketches, prefix)];
    }

    public override Column Finish(IReadOnlyList<Column> states, string name)
    {
        var encoded = ((StringColumn)states[0]).Values;
        var counts = new long[encoded.Length];
        for (var g = 0; g < counts.Length; g++)
        {
            if (encoded[g] is { } state)
            {
                var sketch = new DistinctSketch();
                sketch.Merge(state);
                counts[g] = sketch.Estimate();
            }
        }

        return new Int64Column(new ColumnSchema(name, ColumnType.Int64), counts);
    }

    private StringColumn Encode(DistinctSketch[] sketches, string prefix) =>
        new(State(prefix, 0), [.. sketches.Select(s => s?.Encode())]);
}
