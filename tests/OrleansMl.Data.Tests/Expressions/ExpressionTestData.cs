using System.Globalization;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Expressions;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Tests.Expressions;

/// <summary>Small hand-written batches, and running an expression over one.</summary>
internal static class ExpressionTestData
{
    public static Column Int64(string name, params long?[] values) => Build(new ColumnSchema(name, ColumnType.Int64), values, (b, v) => ((Int64ColumnBuilder)b).Append(v));

    public static Column Float64(string name, params double?[] values) => Build(new ColumnSchema(name, ColumnType.Float64), values, (b, v) => ((Float64ColumnBuilder)b).Append(v));

    public static Column Boolean(string name, params bool?[] values) => Build(new ColumnSchema(name, ColumnType.Boolean), values, (b, v) => ((BooleanColumnBuilder)b).Append(v));

    public static Column String(string name, params string?[] values) => new StringColumn(new ColumnSchema(name, ColumnType.String), values);

    public static Column Categorical(string name, params string?[] values) => new StringColumn(new ColumnSchema(name, ColumnType.Categorical), values);

    /// <summary>A timestamp column from ISO-8601 UTC strings.</summary>
    public static Column Timestamp(string name, params string?[] values) =>
        Build(new ColumnSchema(name, ColumnType.Timestamp), values, (b, v) => ((Int64ColumnBuilder)b).Append(Microseconds(v)));

    public static Column Vector(string name, int dimension, int rows) =>
        new VectorColumn(new ColumnSchema(name, ColumnType.Vector, dimension), new float[dimension * rows]);

    public static ColumnBatch Batch(params Column[] columns) => new(columns);

    public static long Microseconds(string iso) =>
        (DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;

    /// <summary>The expression's value per row (long, double, bool, string, DateTime or null).</summary>
    public static object?[] Values(ColumnBatch batch, string text)
    {
        var column = Expression.Compile(text, batch.Schema).Evaluate(batch, "result");
        Assert.Equal(batch.RowCount, column.Length);
        var values = new object?[column.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = column.GetValue(i);
        }

        return values;
    }

    /// <summary>The rows a filter keeps.</summary>
    public static int[] Select(ColumnBatch batch, string text) => Expression.CompilePredicate(text, batch.Schema).SelectRows(batch);

    /// <summary>The error compiling <paramref name="text"/> against <paramref name="batch"/>'s schema.</summary>
    public static ExpressionException Error(ColumnBatch batch, string text) =>
        Assert.Throws<ExpressionException>(() => Expression.Compile(text, batch.Schema));

    private static Column Build<T>(ColumnSchema schema, T?[] values, Action<ColumnBuilder, T> append)
        where T : struct
    {
        var builder = ColumnBuilder.Create(schema, values.Length);
        foreach (var value in values)
        {
            if (value is { } v)
            {
                append(builder, v);
            }
            else
            {
                builder.AppendNull();
            }
        }

        return builder.Build();
    }

    private static Column Build(ColumnSchema schema, string?[] values, Action<ColumnBuilder, string> append)
    {
        var builder = ColumnBuilder.Create(schema, values.Length);
        foreach (var value in values)
        {
            if (value is null)
            {
                builder.AppendNull();
            }
            else
            {
                append(builder, value);
            }
        }

        return builder.Build();
    }
}
