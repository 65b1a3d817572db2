using OrleansMl.Data.Columns;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>
/// What a text node yields over a batch: the strings of a column (borrowed), an array of strings it
/// made (owned), or one string for every row. A null entry is a null row.
/// </summary>
internal readonly struct TextValues
{
    private readonly StringColumn? _column;

    private TextValues(string?[]? array, StringColumn? column, string? scalar)
    {
        Array = array;
        _column = column;
        Scalar = scalar;
    }

    /// <summary>Strings this evaluation made; the consumer may overwrite them. Null for the column and scalar forms.</summary>
    public string?[]? Array { get; }

    /// <summary>The value of every row, in the scalar form.</summary>
    public string? Scalar { get; }

    public bool IsScalar => Array is null && _column is null;

    /// <summary>The scalar form is null: every row is null.</summary>
    public bool IsNull => IsScalar && Scalar is null;

    /// <summary>The value per row (empty in the scalar form).</summary>
    public ReadOnlySpan<string?> Span => Array is not null ? Array : _column is not null ? _column.Values : default;

    /// <summary>The column the strings are borrowed from, if any.</summary>
    public StringColumn? Column => _column;

    public static TextValues Constant(string? value) => new(null, null, value);

    public static TextValues Rows(string?[] array) => new(array, null, null);

    public static TextValues Borrow(StringColumn column) => new(null, column, null);

    /// <summary>True when some row may be null (exact for the scalar and column forms).</summary>
    public bool MayHaveNulls => IsScalar ? Scalar is null : _column is not null ? _column.Nulls is not null : Array!.AsSpan().Contains(null);

    /// <summary>The array form, copying a scalar out to <paramref name="rowCount"/> rows.</summary>
    public TextValues Expand(int rowCount)
    {
        if (!IsScalar)
        {
            return this;
        }

        var array = new string?[rowCount];
        array.AsSpan().Fill(Scalar);
        return Rows(array);
    }

    /// <summary>An array a kernel may write its result to: this one's when it made it, else a new one.</summary>
    public string?[] Destination(int rowCount) => Array ?? new string?[rowCount];
}
