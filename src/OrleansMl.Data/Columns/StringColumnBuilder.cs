using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Columns;

public sealed class StringColumnBuilder(ColumnSchema schema, int capacity = 1024) : ColumnBuilder(schema)
{
    private string?[] _values = new string?[Math.Max(capacity, 16)];

    public void Append(string? value)
    {
        if (Count == _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
        }

        _values[Count++] = value;
    }

    public override void AppendColumn(Column column)
    {
        foreach (var value in ((StringColumn)column).Values)
        {
            Append(value);
        }
    }

    public override Column Build() =>
        new StringColumn(Schema, _values.Length == Count ? _values : _values.AsSpan(0, Count).ToArray());

    protected override void AppendDefault() => Append(null);

    protected override void OnTruncated(int count) => Array.Clear(_values, count, _values.Length - count);
}
