using OrleansMl.Data.Columns;
using OrleansMl.Data.Expressions;
using OrleansMl.Data.Expressions.Syntax;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Transforms;

namespace OrleansMl.Data.Sql;

/// <summary>
/// Window functions over a batch of rows: the rows are sorted by partition and ORDER BY keys (ties in
/// row order), then each partition is walked once. Ranking (row_number, rank, dense_rank, percent_rank,
/// cume_dist, ntile), offsets (lag, lead, first_value, last_value) and aggregates over a frame (count,
/// sum, avg, min, max; a running frame grows by one row at a time, a sliding one is summed again).
/// Nulls as in DuckDB: aggregates skip them, ORDER BY puts them last unless NULLS FIRST.
/// </summary>
public static partial class SqlWindow
{
    private static readonly string[] Supported =
        ["row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value", "last_value", "count", "sum", "avg", "mean", "min", "max"];

    /// <summary>The column a window function makes over rows with the columns <paramref name="input"/>; checks its arguments.</summary>
    /// <exception cref="ExpressionException">An unknown function, a wrong number or type of arguments; the message points into <paramref name="text"/>.</exception>
    public static ColumnSchema ResultColumn(string text, WindowFunction function, DatasetSchema input)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(input);
        var call = function.Call;
        var name = function.Name;
        var arguments = call.Arguments;
        ExpressionException Error(ExpressionNode node, string problem, string detail) => new(text, node.Position, node.Length, problem, detail);
        ColumnSchema Argument(int i) => input.Get(((ColumnReferenceNode)arguments[i]).Name);
        void Count(int least, int most, string usage)
        {
            if (arguments.Count < least || arguments.Count > most || (call.Star && name != "count"))
            {
                throw Error(call, $"{name} takes {usage}", $" but was given {(call.Star ? "*" : arguments.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))}.");
            }
        }

        foreach (var item in function.OrderBy)
        {
            if (input.Get(((ColumnReferenceNode)item.Expression).Name).Type == ColumnType.Vector)
            {
                throw Error(item.Expression, "A window cannot be ordered by a vector", ".");
            }
        }

        ColumnType type;
        switch (name)
        {
            case "row_number" or "rank" or "dense_rank":
                Count(0, 0, "no arguments");
                type = ColumnType.Int64;
                break;
            case "percent_rank" or "cume_dist":
                Count(0, 0, "no arguments");
                type = ColumnType.Float64;
                break;
            case "ntile":
                Count(1, 1, "one argument (the number of buckets)");
                if (arguments[0] is not LiteralNode { Value: long buckets } || buckets < 1)
                {
                    throw Error(arguments[0], "ntile's number of buckets must be a whole number of at least 1", ".");
                }

                type = ColumnType.Int64;
                break;
            case "lag" or "lead":
                Count(1, 3, "one to three arguments (value, offset, default)");
                if (arguments.Count > 1 && arguments[1] is not LiteralNode { Value: long and >= 0 })
                {
                    throw Error(arguments[1], $"{name}'s offset must be a whole number of rows, 0 or more", ".");
                }

                type = Value(Argument(0), arguments[0]);
                if (arguments.Count == 3 && Fill(Argument(2).Type, type) is null)
                {
                    throw Error(arguments[2], $"{name}'s default is {Name(Argument(2).Type)} where its value is {Name(type)}", ".");
                }

                break;
            case "first_value" or "last_value":
                Count(1, 1, "one argument");
                type = Value(Argument(0), arguments[0]);
                break;
            case "count":
                Count(call.Star ? 0 : 1, 1, "* or one argument");
                type = ColumnType.Int64;
                break;
            case "sum" or "avg" or "mean":
                Count(1, 1, "one argument");
                var numeric = Argument(0).Type;
                if (numeric is not (ColumnType.Int64 or ColumnType.Float64))
                {
                    throw Error(arguments[0], $"{name} needs a number", $"; this is {Name(numeric)}.");
                }

                type = name == "sum" ? numeric : ColumnType.Float64;
                break;
            case "min" or "max":
                Count(1, 1, "one argument");
                type = Value(Argument(0), arguments[0]);
                break;
            default:
                throw Error(call, $"{name} is not a window function", $" (window functions: {string.Join(", ", Supported)}).");
        }

        return new ColumnSchema(function.Column, type);

        ColumnType Value(ColumnSchema column, ExpressionNode at) =>
            column.Type == ColumnType.Vector ? throw Error(at, $"{name} does not take a vector", ".") : column.Type;
    }

    /// <summary><paramref name="rows"/> with each function's column added.</summary>
    /// <exception cref="SchemaException">A sum overflowed.</exception>
    public static ColumnBatch Compute(ColumnBatch rows, IReadOnlyList<WindowFunction> functions, IReadOnlyList<ColumnSchema> columns)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(functions);
        var added = new Column[functions.Count];
        for (var i = 0; i < functions.Count; i++)
        {
            added[i] = Compute(rows, functions[i], columns[i]);
        }

        return new ColumnBatch(new DatasetSchema([.. rows.Schema.Columns, .. columns]), [.. rows.Columns, .. added]);
    }

    private static Column Compute(ColumnBatch rows, WindowFunction function, ColumnSchema output)
    {
        var n = rows.RowCount;
        var window = Sorted(rows, function);
        Column Argument(int i) => rows[((ColumnReferenceNode)function.Call.Arguments[i]).Name];
        switch (function.Name)
        {
            case "row_number" or "rank" or "dense_rank" or "ntile":
                return new Int64Column(output, Ranks(window, function));
            case "percent_rank" or "cume_dist":
                return new Float64Column(output, Distribution(window, function.Name));
            case "lag" or "lead":
                var offset = function.Call.Arguments.Count > 1 ? (long)((LiteralNode)function.Call.Arguments[1]).Value! : 1;
                var fill = function.Call.Arguments.Count == 3 ? ColumnCast.Cast(Argument(2), output.Type) : null;
                return Gather(Argument(0), Shifted(window, function.Name == "lag" ? -offset : offset), fill, output);
            case "first_value" or "last_value" or "min" or "max":
                return Gather(Argument(0), Picked(window, function, function.Call.Arguments.Count > 0 ? Argument(0) : null), null, output);
            default:
                return Aggregate(window, function, function.Call.Star ? null : Argument(0), output, n);
        }
    }

    /// <summary>The type a default fills a value of type <paramref name="value"/> as, or null when it cannot.</summary>
    private static ColumnType? Fill(ColumnType fill, ColumnType value) => (fill, value) switch
    {
        _ when fill == value => value,
        (ColumnType.Int64, ColumnType.Float64) => value,
        (ColumnType.String or ColumnType.Categorical, ColumnType.String or ColumnType.Categorical) => value,
        _ => null,
    };

    private static string Name(ColumnType type) => type.ToString().ToLowerInvariant();

    /// <summary>Row <c>i</c> of the result is <paramref name="source"/>'s row <c>from[i]</c>; where that is -1, <paramref name="fill"/>'s row <c>i</c> (or null).</summary>
    private static Column Gather(Column source, int[] from, Column? fill, ColumnSchema output)
    {
        var n = from.Length;
        var missing = Array.IndexOf(from, -1) >= 0;
        if (!missing)
        {
            return source.Take(from).WithSchema(output);
        }

        var builder = ColumnBuilder.Create(source.Schema, 1);
        builder.AppendNull();
        var extended = Column.Concat([source, fill is null ? builder.Build() : fill.WithSchema(source.Schema)]);
        var rows = new int[n];
        for (var i = 0; i < n; i++)
        {
            rows[i] = from[i] >= 0 ? from[i] : source.Length + (fill is null ? 0 : i);
        }

        return extended.Take(rows).WithSchema(output);
    }
}
