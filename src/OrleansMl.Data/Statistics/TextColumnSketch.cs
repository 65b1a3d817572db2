using System.Runtime.InteropServices;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Statistics;

/// <summary>
/// String and Categorical columns: counts, lengths, a HyperLogLog, and an exact value→count map
/// while the column has at most <see cref="MaxTrackedValues"/> distinct values. Past that the map is
/// dropped for good (also after merges), and the summary reports no top values.
/// </summary>
internal sealed class TextColumnSketch : ColumnSketch
{
    public const int MaxTrackedValues = 1000;
    public const int TopValueCount = 10;

    private readonly HyperLogLog _distinct;
    private Dictionary<string, long>? _frequencies = new(StringComparer.Ordinal);
    private long _count;
    private long _nulls;
    private int _minLength = int.MaxValue;
    private int _maxLength;

    private TextColumnSketch(ColumnSchema schema, HyperLogLog distinct)
        : base(schema) => _distinct = distinct;

    public static TextColumnSketch Compute(StringColumn column)
    {
        var sketch = new TextColumnSketch(column.Schema, new HyperLogLog());
        string? previous = null;
        foreach (var value in column.Values)
        {
            if (value is null)
            {
                sketch._nulls++;
                continue;
            }

            sketch._count++;
            sketch._minLength = Math.Min(sketch._minLength, value.Length);
            sketch._maxLength = Math.Max(sketch._maxLength, value.Length);
            if (!string.Equals(value, previous, StringComparison.Ordinal))
            {
                sketch._distinct.AddString(value);
                previous = value;
            }

            if (sketch._frequencies is { } frequencies)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(frequencies, value, out _)++;
                if (frequencies.Count > MaxTrackedValues)
                {
                    sketch._frequencies = null;
                }
            }
        }

        return sketch;
    }

    public static TextColumnSketch Read(ColumnSchema schema, ref SketchReader reader)
    {
        var count = reader.ReadCount();
        var nulls = reader.ReadCount();
        var minLength = reader.ReadLength(int.MaxValue, 0);
        var maxLength = reader.ReadLength(int.MaxValue, 0);
        var sketch = new TextColumnSketch(schema, HyperLogLog.Read(ref reader))
        {
            _count = count,
            _nulls = nulls,
            _minLength = count == 0 ? int.MaxValue : minLength,
            _maxLength = maxLength,
        };
        if (reader.ReadByte() == 0)
        {
            sketch._frequencies = null;
            return sketch;
        }

        var entries = reader.ReadLength(MaxTrackedValues, 2);
        for (var i = 0; i < entries; i++)
        {
            var value = reader.ReadString();
            if (!sketch._frequencies!.TryAdd(value, reader.ReadCount()))
            {
                throw reader.Malformed($"text value '{value}' listed twice");
            }
        }

        return sketch;
    }

    public override void Merge(ColumnSketch other)
    {
        var text = (TextColumnSketch)other;
        _count += text._count;
        _nulls += text._nulls;
        _minLength = Math.Min(_minLength, text._minLength);
        _maxLength = Math.Max(_maxLength, text._maxLength);
        _distinct.Merge(text._distinct);
        if (_frequencies is null || text._frequencies is null)
        {
            _frequencies = null;
            return;
        }

        foreach (var (value, count) in text._frequencies)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_frequencies, value, out _) += count;
        }

        if (_frequencies.Count > MaxTrackedValues)
        {
            _frequencies = null;
        }
    }

    public override void Write(SketchWriter writer)
    {
        writer.WriteCount(_count);
        writer.WriteCount(_nulls);
        writer.WriteCount(_count == 0 ? 0 : _minLength);
        writer.WriteCount(_maxLength);
        _distinct.Write(writer);
        if (_frequencies is null)
        {
            writer.WriteByte(0);
            return;
        }

        writer.WriteByte(1);
        var values = new string[_frequencies.Count];
        _frequencies.Keys.CopyTo(values, 0);
        Array.Sort(values, StringComparer.Ordinal);
        writer.WriteCount(values.Length);
        foreach (var value in values)
        {
            writer.WriteString(value);
            writer.WriteCount(_frequencies[value]);
        }
    }

    public override ColumnSummary Summarize(IReadOnlyList<double> quantiles, int histogramBins) => new()
    {
        Name = Schema.Name,
        Type = Schema.Type,
        Count = _count,
        NullCount = _nulls,
        DistinctEstimate = _frequencies?.Count ?? Math.Min(_distinct.Estimate(), _count),
        TopValues = TopValues(),
        TopValuesComplete = _frequencies is not null,
        MinLength = _count == 0 ? null : _minLength,
        MaxLength = _count == 0 ? null : _maxLength,
    };

    private ValueCount[] TopValues()
    {
        if (_frequencies is null || _frequencies.Count == 0)
        {
            return [];
        }

        var entries = new KeyValuePair<string, long>[_frequencies.Count];
        ((ICollection<KeyValuePair<string, long>>)_frequencies).CopyTo(entries, 0);
        Array.Sort(entries, static (a, b) => a.Value != b.Value ? b.Value.CompareTo(a.Value) : string.CompareOrdinal(a.Key, b.Key));
        var top = new ValueCount[Math.Min(TopValueCount, entries.Length)];
        for (var i = 0; i < top.Length; i++)
        {
            top[i] = new ValueCount(entries[i].Key, entries[i].Value);
        }

        return top;
    }
}
