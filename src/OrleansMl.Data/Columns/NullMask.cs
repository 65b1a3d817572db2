using System.Numerics;

namespace OrleansMl.Data.Columns;

/// <summary>A bit per row, set where the row is null. Columns without nulls carry no mask.</summary>
public sealed class NullMask
{
    private readonly ulong[] _bits;

    public NullMask(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _bits = new ulong[(length + 63) >> 6];
    }

    public int Length { get; }

    public bool this[int row] => (_bits[row >> 6] & (1UL << row)) != 0;

    public void SetNull(int row) => _bits[row >> 6] |= 1UL << row;

    public int CountNulls()
    {
        var count = 0;
        foreach (var word in _bits)
        {
            count += BitOperations.PopCount(word);
        }

        return count;
    }

    /// <summary>The mask of the rows <paramref name="rows"/>, or null when none of them is null.</summary>
    public NullMask? Take(ReadOnlySpan<int> rows)
    {
        NullMask? result = null;
        for (var i = 0; i < rows.Length; i++)
        {
            if (this[rows[i]])
            {
                (result ??= new NullMask(rows.Length)).SetNull(i);
            }
        }

        return result;
    }

    /// <summary>The mask of rows [start, start + length), or null when none of them is null.</summary>
    public NullMask? Slice(int start, int length)
    {
        NullMask? result = null;
        for (var i = 0; i < length; i++)
        {
            if (this[start + i])
            {
                (result ??= new NullMask(length)).SetNull(i);
            }
        }

        return result;
    }

    internal long EstimatedBytes => _bits.Length * sizeof(ulong);
}
