using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Statistics;

/// <summary>The mergeable statistics of one column; one subclass per family of column types.</summary>
internal abstract class ColumnSketch(ColumnSchema schema)
{
    public ColumnSchema Schema { get; } = schema;

    public static ColumnSketch Of(Column column) => column.Type switch
    {
        ColumnType.Int64 or ColumnType.Float64 or ColumnType.Boolean or ColumnType.Timestamp => NumericColumnSketch.Compute(column),
        ColumnType.String or ColumnType.Categorical => TextColumnSketch.Compute((StringColumn)column),
        ColumnType.Vector => VectorColumnSketch.Compute((VectorColumn)column),
        _ => throw new SchemaException($"Column '{column.Name}' has type {column.Type}, which describe does not support."),
    };

    public static ColumnSketch ReadFrom(ColumnSchema schema, ref SketchReader reader) => schema.Type switch
    {
        ColumnType.Int64 or ColumnType.Float64 or ColumnType.Boolean or ColumnType.Timestamp => NumericColumnSketch.Read(schema, ref reader),
        ColumnType.String or ColumnType.Categorical => TextColumnSketch.Read(schema, ref reader),
        ColumnType.Vector => VectorColumnSketch.Read(schema, ref reader),
        _ => throw reader.Malformed($"column '{schema.Name}' of type {schema.Type}"),
    };

    /// <summary>Adds the statistics of <paramref name="other"/>, a sketch of the same column over other rows.</summary>
    public abstract void Merge(ColumnSketch other);

    public abstract void Write(SketchWriter writer);

    public abstract ColumnSummary Summarize(IReadOnlyList<double> quantiles, int histogramBins);
}
