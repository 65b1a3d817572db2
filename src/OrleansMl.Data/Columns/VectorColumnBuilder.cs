using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Columns;

public sealed class VectorColumnBuilder(ColumnSchema schema, int capacity = 1024) : ColumnBuilder(schema)
{
    private float[] _values = new float[Math.Max(capacity, 16) * schema.VectorLength];

    public int Dimension => Schema.VectorLength;

    public void Append(ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimension)
        {
            throw new ArgumentException($"Column '{Schema.Name}' holds vectors of length {Dimension}; got {vector.Length}.", nameof(vector));
        }

        vector.CopyTo(Reserve());
    }

    /// <summary>Adds a row and returns its (zeroed) span to fill in place.</summary>
    public Span<float> Reserve()
    {
        var needed = (Count + 1) * Dimension;
        if (needed > _values.Length)
        {
            Array.Resize(ref _values, Math.Max(_values.Length * 2, needed));
        }

        return _values.AsSpan(Count++ * Dimension, Dimension);
    }

    public override void AppendColumn(Column column)
    {
        var vectors = (VectorColumn)column;
        var needed = (Count + vectors.Length) * Dimension;
        if (needed > _values.Length)
        {
            Array.Resize(ref _values, Math.Max(_values.Length * 2, needed));
        }

        CopyNulls(column);
        vectors.Values.CopyTo(_values.AsSpan(Count * Dimension));
        Count += vectors.Length;
    }

    public override Column Build()
    {
        var length = Count * Dimension;
        return new VectorColumn(Schema, _values.Length == length ? _values : _values.AsSpan(0, length).ToArray(), BuildNulls());
    }

    protected override void AppendDefault() => Reserve().Clear();
}
