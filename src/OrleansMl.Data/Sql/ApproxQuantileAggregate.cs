using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Statistics;

namespace OrleansMl.Data.Sql;

/// <summary>
/// <c>approx_quantile(x, q)</c>: a KLL sketch per group (the describe statistics' <see cref="KllSketch"/>, k = 256:
/// about 1% rank error, a few KiB however many values), merged across partitions; the value of the sketch at
/// rank q, of x's type (integers stay integers, as DuckDB answers). Null over no values.
/// </summary>
internal sealed class ApproxQuantileAggregate(double quantile, ColumnType type) : SqlAggregate("approx_quantile")
{
    public override ColumnType ResultType => type == ColumnType.Int64 ? ColumnType.Int64 : ColumnType.Float64;

    public override IReadOnlyList<ColumnType> StateTypes { get; } = [ColumnType.String];

    public override Column[] Accumulate(Column? argument, int[] ids, int groups, int rows, string prefix)
    {
        var sketches = new KllSketch?[groups];
        var numbers = AsDoubles(argument!);
        for (var row = 0; row < rows; row++)
        {
            if (!argument!.IsNull(row) && !double.IsNaN(numbers[row]))
            {
                (sketches[ids[row]] ??= new KllSketch()).Update(numbers[row]);
            }
        }

        return [Encode(sketches, prefix)];
    }

    public override Column[] Merge(IReadOnlyList<Column> states, int[] ids, int groups, string prefix)
    {
        var sketches = new KllSketch?[groups];
        var encoded = ((StringColumn)states[0]).Values;
        for (var row = 0; row < ids.Length; row++)
        {
            if (encoded[row] is { } state)
            {
                var other = Decode(state);
                if (sketches[ids[row]] is { } sketch)
                {
                    sketch.Merge(other);
                }
                else
                {
                    sketches[ids[row]] = other;
                }
            }
        }

        return [Encode(sketches, prefix)];
    }

    public override Column Finish(IReadOnlyList<Column> states, string name)
    {
        var encoded = ((StringColumn)states[0]).Values;
        var values = new double[encoded.Length];
        NullMask? nulls = null;
        for (var g = 0; g < values.Length; g++)
        {
            if (encoded[g] is { } state)
            {
                values[g] = Decode(state).ToCdf().Quantile(quantile);
            }
            else
            {
                (nulls ??= new NullMask(values.Length)).SetNull(g);
            }
        }

        var schema = new ColumnSchema(name, ResultType);
        return ResultType == ColumnType.Int64 ? new Int64Column(schema, [.. values.Select(v => (long)Math.Round(v))], nulls) : new Float64Column(schema, values, nulls);
    }

    private StringColumn Encode(KllSketch?[] sketches, string prefix) => new(State(prefix, 0), [.. sketches.Select(s =>
    {
        if (s is null)
        {
            return null;
        }

        var writer = new SketchWriter();
        s.Write(writer);
        return Convert.ToBase64String(writer.ToArray());
    })]);

    private static KllSketch Decode(string state)
    {
        var reader = new SketchReader(Convert.FromBase64String(state));
        return KllSketch.Read(ref reader);
    }
}
