using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Tests.Expressions;

/// <summary>A random batch with nulls, and random well-typed expressions over it, for checking the engine against <see cref="ReferenceEvaluator"/>.</summary>
internal sealed class RandomExpressions(int seed)
{
    private static readonly string[] Words = ["apple", "Apple", "pear", "PEAR", "fig", "", "kiwi fruit", "éclair"];
    private static readonly string[] Categories = ["a", "b", "c", "d"];
    private static readonly string[] Dates = ["2024-01-01", "2024-03-15T12:00:00Z", "2024-06-30 23:59:59", "2024-09-01T00:00:00+02:00", "2024-12-31"];

    private readonly Random _random = new(seed);

    /// <summary>Columns i, j (int64), x, y, "unit price" (float64), b (boolean), s (string), c (categorical), ts (timestamp), v (vector).</summary>
    public ColumnBatch Batch(int rows, double nullShare)
    {
        var epoch2024 = ExpressionTestData.Microseconds("2024-01-01T00:00:00Z");
        return new ColumnBatch(
        [
            Primitive("i", ColumnType.Int64, rows, nullShare, () => (long)_random.Next(-20, 21)),
            Primitive("j", ColumnType.Int64, rows, nullShare, () => (long)_random.Next(-3, 4)),
            Primitive("x", ColumnType.Float64, rows, nullShare, () => _random.Next(20) == 0 ? 0.0 : System.Math.Round((_random.NextDouble() * 40) - 20, 2)),
            Primitive("y", ColumnType.Float64, rows, nullShare, () => System.Math.Round((_random.NextDouble() * 10) - 5, 1)),
            Primitive("unit price", ColumnType.Float64, rows, nullShare / 2, () => System.Math.Round(_random.NextDouble() * 100, 2)),
            Primitive("b", ColumnType.Boolean, rows, nullShare * 1.5, () => _random.Next(2) == 0),
            Strings("s", ColumnType.String, rows, nullShare, () => new string(Words[_random.Next(Words.Length)].AsSpan())),
            Strings("c", ColumnType.Categorical, rows, nullShare, () => Categories[_random.Next(Categories.Length)]),
            Primitive("ts", ColumnType.Timestamp, rows, nullShare, () => epoch2024 + (_random.Next(366 * 24) * 3_600_000_000L) + (_random.Next(4) == 0 ? 0 : _random.Next(3600) * 1_000_000L)),
            new VectorColumn(new ColumnSchema("v", ColumnType.Vector, 2), new float[rows * 2]),
        ]);
    }

    /// <summary>An expression of any type: a number, text, a timestamp or a condition.</summary>
    public string Value(int depth) => _random.Next(4) switch
    {
        0 => Number(depth),
        1 => Text(depth),
        2 => Timestamp(depth),
        _ => Condition(depth),
    };

    public string Condition(int depth) => Pick(depth,
    [
        () => "b",
        () => Compare(Number(depth - 1), Number(depth - 1)),
        () => $"{Text(depth - 1)} {Pick(["=", "!=", "<", ">=", "<>"])} {Pick(["'apple'", "'pear'", "'b'", "''", "s", "c"])}",
        () => $"{Condition(depth - 1)} {Pick(["AND", "and", "&&"])} {Condition(depth - 1)}",
        () => $"{Condition(depth - 1)} {Pick(["OR", "or", "||"])} {Condition(depth - 1)}",
        () => $"{Pick(["NOT ", "not ", "!"])}({Condition(depth - 1)})",
        () => $"{Number(depth - 1)} IS {Pick(["", "NOT "])}NULL",
        () => $"{Text(depth - 1)} is {Pick(["", "not "])}null",
        () => $"{Number(depth - 1)} {Pick(["IN", "NOT IN"])} ({NumberList()})",
        () => $"{Text(depth - 1)} {Pick(["IN", "not in"])} ({TextList()})",
        () => $"{Number(depth - 1)} {Pick(["BETWEEN", "NOT BETWEEN"])} {Number(0)} AND {Number(0)}",
        () => $"{Timestamp(depth - 1)} {Pick(["<", "<=", ">", ">=", "=", "!="])} '{Pick(Dates)}'",
        () => $"ts {Pick(["BETWEEN", "NOT BETWEEN"])} '{Dates[_random.Next(2)]}' AND '{Dates[2 + _random.Next(3)]}'",
        () => $"ts {Pick(["IN", "NOT IN"])} ('{Pick(Dates)}', '{Pick(Dates)}'{Pick(["", ", null"])})",
        () => $"b {Pick(["=", "!="])} {Pick(["true", "false", "b", "(i > 0)"])}",
        () => $"coalesce(b, {Condition(depth - 1)})",
        () => Pick(["true", "false", "null"]),
    ]);

    private string Number(int depth) => Pick(depth,
    [
        () => Pick(["i", "j", "x", "y", "\"unit price\"", "`unit price`"]),
        () => Pick(["0", "1", "2", "-3", "7", "0.5", "2.5", "-1.25", "1e1", "100"]),
        () => $"({Number(depth - 1)} {Pick(["+", "-", "*", "/", "%"])} {Number(depth - 1)})",
        () => $"{Number(depth - 1)} {Pick(["+", "-", "*", "/", "%"])} {Number(depth - 1)}",
        () => $"-{Number(depth - 1)}",
        () => $"{Pick(["abs", "floor", "ceil", "round", "sqrt", "log", "ABS"])}({Number(depth - 1)})",
        () => $"round({Number(depth - 1)}, {_random.Next(4)})",
        () => $"exp({Pick(["y", "j", "0.5", "-2"])})",
        () => $"length({Text(depth - 1)})",
        () => $"coalesce({Number(depth - 1)}, {Number(depth - 1)}{Pick(["", ", 0", ", null", ", 1.5"])})",
        () => "null",
    ]);

    private string Text(int depth) => Pick(depth,
    [
        () => Pick(["s", "c", "s", "c", "'pear'"]),
        () => $"{Pick(["lower", "upper", "LOWER"])}({Text(depth - 1)})",
        () => $"coalesce({Text(depth - 1)}, {Pick(["'none'", "c", "s", "null"])})",
    ]);

    private string Timestamp(int depth) => depth <= 0 || _random.Next(3) > 0 ? "ts" : $"coalesce(ts, '{Pick(Dates)}')";

    private string Compare(string left, string right) => $"{left} {Pick(["=", "==", "!=", "<>", "<", "<=", ">", ">="])} {right}";

    private string NumberList()
    {
        var items = Enumerable.Range(0, 1 + _random.Next(_random.Next(4) == 0 ? 30 : 4)).Select(_ => Pick(["0", "1", "2", "-3", "7", "2.5", "-1", "null", "20", "0.5"]));
        return string.Join(", ", items);
    }

    private string TextList()
    {
        var items = Enumerable.Range(0, 1 + _random.Next(_random.Next(4) == 0 ? 12 : 3)).Select(_ => Pick(["'apple'", "'pear'", "'a'", "'b'", "''", "null", "'kiwi fruit'", "'PEAR'", "'x'"]));
        return string.Join(", ", items);
    }

    /// <summary>A leaf (the first choice) at depth 0, else any choice.</summary>
    private string Pick(int depth, Func<string>[] choices) =>
        depth <= 0 ? choices[0]() : choices[_random.Next(choices.Length)]();

    private string Pick(string[] choices) => choices[_random.Next(choices.Length)];

    private Column Primitive<T>(string name, ColumnType type, int rows, double nullShare, Func<T> next)
        where T : unmanaged
    {
        var builder = ColumnBuilder.Create(new ColumnSchema(name, type), rows);
        for (var row = 0; row < rows; row++)
        {
            if (_random.NextDouble() < nullShare)
            {
                builder.AppendNull();
            }
            else
            {
                ((PrimitiveColumnBuilder<T>)builder).Append(next());
            }
        }

        return builder.Build();
    }

    private StringColumn Strings(string name, ColumnType type, int rows, double nullShare, Func<string> next)
    {
        var values = new string?[rows];
        for (var row = 0; row < rows; row++)
        {
            values[row] = _random.NextDouble() < nullShare ? null : next();
        }

        return new StringColumn(new ColumnSchema(name, type), values);
    }
}
