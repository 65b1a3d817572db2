using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Columns;

/// <summary>Fixed-length float vectors stored row after row in one array; a null row holds zeros.</summary>
public sealed class VectorColumn : Column
{
    private readonly float[] _values;

    public VectorColumn(ColumnSchema schema, float[] values, NullMask? nulls = null)
        : base(schema, RowsOf(schema, values), nulls) => _values = values;

    public int Dimension => Schema.VectorLength;

    /// <summary>All values, row-major: row r is [r * Dimension, (r + 1) * Dimension).</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>The backing array, for kernels that need an array (it must not be written).</summary>
    public float[] UnsafeArray => _values;

    public ReadOnlySpan<float> Row(int row) => _values.AsSpan(row * Dimension, Dimension);

    public override long EstimatedBytes => ((long)_values.Length * sizeof(float)) + (Nulls?.EstimatedBytes ?? 0);

    public override Column Take(ReadOnlySpan<int> rows)
    {
        var values = new float[rows.Length * Dimension];
        for (var i = 0; i < rows.Length; i++)
        {
            Row(rows[i]).CopyTo(values.AsSpan(i * Dimension, Dimension));
        }

        return new VectorColumn(Schema, values, Nulls?.Take(rows));
    }

    public override Column Slice(int start, int length) =>
        new VectorColumn(Schema, _values.AsSpan(start * Dimension, length * Dimension).ToArray(), Nulls?.Slice(start, length));

    public override Column WithSchema(ColumnSchema schema) =>
        schema.VectorLength == Dimension
            ? new VectorColumn(schema, _values, Nulls)
            : throw new SchemaException($"Column '{schema.Name}' has length {schema.VectorLength}, the data has {Dimension}.");

    public override object? GetValue(int row) => IsNull(row) ? null : Row(row).ToArray();

    private static int RowsOf(ColumnSchema schema, float[] values)
    {
        if (schema.Type != ColumnType.Vector || schema.VectorLength <= 0 || values.Length % schema.VectorLength != 0)
        {
            throw new ArgumentException($"Vector column '{schema.Name}' needs {schema.VectorLength} values per row; got {values.Length} values.", nameof(values));
        }

        return values.Length / schema.VectorLength;
    }
}
