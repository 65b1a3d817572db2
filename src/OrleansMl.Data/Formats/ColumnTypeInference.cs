using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Formats;

/// <summary>
/// Infers one column's type from sample values: Int64 if every value is an integer, else Float64 if
/// every value is a number, else Boolean (true/false), else Timestamp (ISO 8601), else text.
/// Text with few distinct, repeating values is Categorical; other text is String. A column with
/// no values at all is String.
/// </summary>
public sealed class ColumnTypeInference(int categoricalMaxDistinct = 100)
{
    private readonly HashSet<string> _distinct = new(StringComparer.Ordinal);
    private bool _int = true;
    private bool _float = true;
    private bool _bool = true;
    private bool _timestamp = true;
    private bool _manyDistinct;
    private long _values;

    /// <summary>Records one non-null value. <paramref name="textOnly"/> marks values known to be text (a JSON string).</summary>
    public void Observe(ReadOnlySpan<byte> text, bool textOnly = false)
    {
        _values++;
        if (textOnly)
        {
            _int = _float = _bool = false;
        }

        if (_int && !Utf8Values.TryParseInt64(text, out _))
        {
            _int = false;
        }

        if (_float && !_int && !Utf8Values.TryParseFloat64(text, out _))
        {
            _float = false;
        }

        if (_bool && !Utf8Values.TryParseBoolean(text, out _))
        {
            _bool = false;
        }

        if (_timestamp && !Utf8Values.TryParseTimestamp(text, out _))
        {
            _timestamp = false;
        }

        if (!_manyDistinct && !_int && !_float && !_bool && !_timestamp)
        {
            _distinct.Add(Utf8Values.TryDecode(text) ?? string.Empty);
            _manyDistinct = _distinct.Count > categoricalMaxDistinct;
        }
    }

    public ColumnType Infer()
    {
        if (_values == 0)
        {
            return ColumnType.String;
        }

        if (_int)
        {
            return ColumnType.Int64;
        }

        if (_float)
        {
            return ColumnType.Float64;
        }

        if (_bool)
        {
            return ColumnType.Boolean;
        }

        if (_timestamp)
        {
            return ColumnType.Timestamp;
        }

        return !_manyDistinct && _distinct.Count * 2L <= _values ? ColumnType.Categorical : ColumnType.String;
    }
}
