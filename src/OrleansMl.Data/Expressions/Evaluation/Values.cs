using System.Buffers;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>
/// What a node yields over a batch: a value per row plus the rows that are null, or one value (possibly
/// null) that stands for every row without being copied out.
/// </summary>
/// <remarks>
/// The value a null row holds is unspecified, except for booleans, whose null rows always hold false
/// (the Kleene kernels and <see cref="Masks.SelectTrue"/> rely on that). Null arrays are never written
/// once made, so they can be shared. A value array is borrowed (a column's; read only), owned (a new
/// array of exactly the batch length) or rented (from the pool, possibly longer; it goes back when used).
/// </remarks>
internal readonly struct Values<T>
    where T : unmanaged
{
    private readonly T[]? _array;
    private readonly int _length;

    private Values(T[]? array, int length, Ownership ownership, bool[]? nulls, T scalar, bool isNull)
    {
        _array = array;
        _length = length;
        Ownership = ownership;
        Nulls = nulls;
        Scalar = scalar;
        IsNull = isNull;
    }

    /// <summary>A null for every row.</summary>
    public static Values<T> Null => new(null, 0, Ownership.Borrowed, null, default, true);

    public bool IsScalar => _array is null;

    /// <summary>The value per row (empty in the scalar form).</summary>
    public ReadOnlySpan<T> Span => _array.AsSpan(0, _length);

    /// <summary>The value per row, for the node that owns this result to write (a borrowed array must not be written).</summary>
    public Span<T> Writable => Ownership == Ownership.Borrowed ? throw new InvalidOperationException("A borrowed array is read only.") : _array.AsSpan(0, _length);

    public Ownership Ownership { get; }

    /// <summary>True when the array is a temporary that a consumer may overwrite and hand on as its own result.</summary>
    public bool OwnsArray => _array is not null && Ownership != Ownership.Borrowed;

    /// <summary>The rows that are null; null when none is.</summary>
    public bool[]? Nulls { get; }

    /// <summary>The value of every row, in the scalar form.</summary>
    public T Scalar { get; }

    /// <summary>The scalar form is null: every row is null.</summary>
    public bool IsNull { get; }

    internal T[]? Array => _array;

    public static Values<T> Constant(T value) => new(null, 0, Ownership.Borrowed, null, value, false);

    /// <summary>A column's values, read in place.</summary>
    public static Values<T> Borrow(T[] array, bool[]? nulls) => new(array, array.Length, Ownership.Borrowed, nulls, default, false);

    /// <summary>A new array of exactly the batch length, which this result owns.</summary>
    public static Values<T> Own(T[] array, bool[]? nulls) => new(array, array.Length, Ownership.Owned, nulls, default, false);

    /// <summary>A pooled array for <paramref name="context"/>'s batch, to write a result into; its nulls come with <see cref="WithNulls"/>.</summary>
    public static Values<T> Rent(EvaluationContext context) =>
        context.RowCount == 0 ? Own([], null) : new(context.RentArray<T>(), context.RowCount, Ownership.Rented, null, default, false);

    /// <summary>A buffer to write a result for <paramref name="x"/> into: x's own array when it has one, else a rented one.</summary>
    public static Values<T> Reuse(EvaluationContext context, in Values<T> x) => x.OwnsArray ? x.WithNulls(null) : Rent(context);

    /// <summary>As <see cref="Reuse(EvaluationContext, in Values{T})"/>, trying x's array and then y's.</summary>
    public static Values<T> Reuse(EvaluationContext context, in Values<T> x, in Values<T> y) =>
        x.OwnsArray ? x.WithNulls(null) : Reuse(context, y);

    /// <summary>The same values with other null rows.</summary>
    public Values<T> WithNulls(bool[]? nulls) => new(_array, _length, Ownership, nulls, Scalar, IsNull);

    /// <summary>Returns a rented array to the pool, unless <paramref name="kept"/> (a result) holds it.</summary>
    public void Release(in Values<T> kept = default)
    {
        if (Ownership == Ownership.Rented && !ReferenceEquals(_array, kept._array))
        {
            ArrayPool<T>.Shared.Return(_array!);
        }
    }

    /// <summary>The array form: a scalar copied out to <paramref name="context"/>'s rows.</summary>
    public Values<T> Expand(EvaluationContext context)
    {
        if (!IsScalar)
        {
            return this;
        }

        var result = Rent(context);
        result.Writable.Fill(IsNull ? default : Scalar);
        if (!IsNull)
        {
            return result;
        }

        var nulls = new bool[context.RowCount];
        nulls.AsSpan().Fill(true);
        return result.WithNulls(nulls);
    }
}
