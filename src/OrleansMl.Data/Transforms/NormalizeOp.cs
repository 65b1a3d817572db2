using System.Numerics.Tensors;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Transforms;

/// <summary>
/// normalize: rescales numeric and vector columns to float64 (vectors stay float32 vectors) with
/// statistics computed beforehand over the whole input. minmax maps [min, max] to [0, 1]; zscore
/// subtracts the mean and divides by the standard deviation. Vectors use per-position statistics.
/// A constant column (max = min, or std = 0) becomes 0. Nulls stay null.
/// </summary>
/// <param name="parameters">Per column: offsets and scales, one value for scalars or one per position for vectors; output = (x - offset) * scale.</param>
public sealed class NormalizeOp(IReadOnlyDictionary<string, (double[] Offset, double[] Scale)> parameters) : ITransformOp
{
    private DatasetSchema? _output;

    /// <summary>Offset and scale for minmax.</summary>
    public static (double[] Offset, double[] Scale) MinMax(double[] min, double[] max) =>
        (min, [.. min.Select((m, i) => max[i] > m ? 1.0 / (max[i] - m) : 0.0)]);

    /// <summary>Offset and scale for zscore.</summary>
    public static (double[] Offset, double[] Scale) ZScore(double[] mean, double[] std) =>
        (mean, [.. std.Select(s => s > 0 ? 1.0 / s : 0.0)]);

    public DatasetSchema Bind(DatasetSchema input)
    {
        foreach (var (name, (offset, _)) in parameters)
        {
            var column = input[ProjectOp.IndexOrThrow(input, name, "normalize")];
            var expected = column.Type == ColumnType.Vector ? column.VectorLength : 1;
            if (!column.IsNumeric && column.Type != ColumnType.Vector)
            {
                throw new SchemaException($"normalize: column '{name}' is {SchemaJson.TypeName(column.Type)}; only numbers and vectors can be normalized.");
            }

            if (offset.Length != expected)
            {
                throw new SchemaException($"normalize: column '{name}' needs {expected} statistics; {offset.Length} were given.");
            }
        }

        return _output = new DatasetSchema(input.Columns.Select(c =>
            parameters.ContainsKey(c.Name) && c.Type != ColumnType.Vector ? c with { Type = ColumnType.Float64 } : c));
    }

    public ColumnBatch Apply(ColumnBatch input) => new(_output!, [.. input.Columns.Select((column, i) =>
        parameters.TryGetValue(column.Name, out var p) ? Normalize(column, _output![i], p.Offset, p.Scale) : column)]);

    private static Column Normalize(Column column, ColumnSchema schema, double[] offset, double[] scale)
    {
        if (column is VectorColumn vectors)
        {
            var values = vectors.Values.ToArray();
            var offsets = Array.ConvertAll(offset, v => (float)v);
            var scales = Array.ConvertAll(scale, v => (float)v);
            for (var row = 0; row < vectors.Length; row++)
            {
                var span = values.AsSpan(row * vectors.Dimension, vectors.Dimension);
                TensorPrimitives.Subtract(span, offsets, span);
                TensorPrimitives.Multiply(span, scales, span);
            }

            return new VectorColumn(schema, values, column.Nulls);
        }

        var result = ((Float64Column)ColumnCast.Cast(column, ColumnType.Float64)).Values.ToArray();
        TensorPrimitives.Add(result, -offset[0], result);
        TensorPrimitives.Multiply(result, scale[0], result);
        return new Float64Column(schema, result, column.Nulls);
    }
}
