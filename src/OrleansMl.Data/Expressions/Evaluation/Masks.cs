using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OrleansMl.Data.Columns;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>
/// Whole-array kernels over bool arrays (values of boolean nodes and null rows). A bool is one byte
/// holding 0 or 1, so these run as vectorised byte operations.
/// </summary>
internal static class Masks
{
    /// <summary>The rows null in either input; shares an input when the other has no nulls.</summary>
    public static bool[]? Union(bool[]? x, bool[]? y)
    {
        if (x is null || y is null)
        {
            return x ?? y;
        }

        var result = GC.AllocateUninitializedArray<bool>(x.Length);
        Or(x, y, result);
        return result;
    }

    public static void And(ReadOnlySpan<bool> x, ReadOnlySpan<bool> y, Span<bool> destination) =>
        TensorPrimitives.BitwiseAnd(Bytes(x), Bytes(y), Bytes(destination));

    public static void Or(ReadOnlySpan<bool> x, ReadOnlySpan<bool> y, Span<bool> destination) =>
        TensorPrimitives.BitwiseOr(Bytes(x), Bytes(y), Bytes(destination));

    public static void Xor(ReadOnlySpan<bool> x, ReadOnlySpan<bool> y, Span<bool> destination) =>
        TensorPrimitives.Xor(Bytes(x), Bytes(y), Bytes(destination));

    /// <summary><paramref name="destination"/> = <paramref name="x"/> XOR <paramref name="y"/> (a constant).</summary>
    public static void Xor(ReadOnlySpan<bool> x, bool y, Span<bool> destination) =>
        TensorPrimitives.Xor(Bytes(x), y ? (byte)1 : (byte)0, Bytes(destination));

    public static void Not(ReadOnlySpan<bool> x, Span<bool> destination) => Xor(x, true, destination);

    /// <summary><paramref name="destination"/> = <paramref name="x"/> AND NOT <paramref name="y"/>.</summary>
    public static void AndNot(ReadOnlySpan<bool> x, ReadOnlySpan<bool> y, Span<bool> destination)
    {
        var a = Bytes(x);
        var b = Bytes(y);
        var d = Bytes(destination);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= a.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                Vector.AndNot(new Vector<byte>(a[i..]), new Vector<byte>(b[i..])).CopyTo(d[i..]);
            }
        }

        for (; i < a.Length; i++)
        {
            d[i] = (byte)(a[i] & ~b[i]);
        }
    }

    /// <summary>Sets false wherever <paramref name="nulls"/> is set, so boolean null rows hold false.</summary>
    public static void ClearNulls(Span<bool> values, ReadOnlySpan<bool> nulls) => AndNot(values, nulls, values);

    /// <summary>True when some row is set in both <paramref name="values"/> and <paramref name="nulls"/>.</summary>
    public static bool ClearNullsNeeded(ReadOnlySpan<bool> values, ReadOnlySpan<bool> nulls)
    {
        var a = Bytes(values);
        var b = Bytes(nulls);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= a.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                if ((new Vector<byte>(a[i..]) & new Vector<byte>(b[i..])) != Vector<byte>.Zero)
                {
                    return true;
                }
            }
        }

        for (; i < a.Length; i++)
        {
            if ((a[i] & b[i]) != 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Null rows of Kleene x AND y: some side is null and neither side is false: (xn | yn) &amp; (x | xn) &amp; (y | yn).</summary>
    public static void KleeneAndNulls(ReadOnlySpan<bool> x, ReadOnlySpan<bool> xNulls, ReadOnlySpan<bool> y, ReadOnlySpan<bool> yNulls, Span<bool> destination)
    {
        var a = Bytes(x);
        var an = Bytes(xNulls);
        var b = Bytes(y);
        var bn = Bytes(yNulls);
        var d = Bytes(destination);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= a.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                var (va, van, vb, vbn) = (new Vector<byte>(a[i..]), new Vector<byte>(an[i..]), new Vector<byte>(b[i..]), new Vector<byte>(bn[i..]));
                ((van | vbn) & (va | van) & (vb | vbn)).CopyTo(d[i..]);
            }
        }

        for (; i < a.Length; i++)
        {
            d[i] = (byte)((an[i] | bn[i]) & (a[i] | an[i]) & (b[i] | bn[i]));
        }
    }

    /// <summary>Null rows of Kleene x OR y: some side is null and neither side is true: (xn | yn) &amp; ~(x | y).</summary>
    public static void KleeneOrNulls(ReadOnlySpan<bool> x, ReadOnlySpan<bool> xNulls, ReadOnlySpan<bool> y, ReadOnlySpan<bool> yNulls, Span<bool> destination)
    {
        var a = Bytes(x);
        var an = Bytes(xNulls);
        var b = Bytes(y);
        var bn = Bytes(yNulls);
        var d = Bytes(destination);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= a.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                var (va, van, vb, vbn) = (new Vector<byte>(a[i..]), new Vector<byte>(an[i..]), new Vector<byte>(b[i..]), new Vector<byte>(bn[i..]));
                Vector.AndNot(van | vbn, va | vb).CopyTo(d[i..]);
            }
        }

        for (; i < a.Length; i++)
        {
            d[i] = (byte)((an[i] | bn[i]) & ~(a[i] | b[i]));
        }
    }

    /// <summary>The indices of the rows that are true, ascending.</summary>
    public static int[] SelectTrue(ReadOnlySpan<bool> values)
    {
        var bytes = Bytes(values);
        var result = new int[bytes.Count((byte)1)];
        var count = 0;
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= bytes.Length - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                // One bit per true row, then one write per set bit: no branch per row.
                var bits = ~Vector128.Equals(Vector128.Create(bytes[i..]), Vector128<byte>.Zero).ExtractMostSignificantBits() & 0xFFFFu;
                while (bits != 0)
                {
                    result[count++] = i + BitOperations.TrailingZeroCount(bits);
                    bits &= bits - 1;
                }
            }
        }

        for (; i < bytes.Length; i++)
        {
            if (bytes[i] != 0)
            {
                result[count++] = i;
            }
        }

        return result;
    }

    /// <summary>A column's null mask as one bool per row.</summary>
    public static bool[] FromNullMask(NullMask mask)
    {
        var result = GC.AllocateUninitializedArray<bool>(mask.Length);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = mask[i];
        }

        return result;
    }

    /// <summary>A column null mask for the rows set in <paramref name="nulls"/>, or null when none is.</summary>
    public static NullMask? ToNullMask(ReadOnlySpan<bool> nulls)
    {
        var next = nulls.IndexOf(true);
        if (next < 0)
        {
            return null;
        }

        var mask = new NullMask(nulls.Length);
        while (next >= 0)
        {
            mask.SetNull(next);
            var found = nulls[(next + 1)..].IndexOf(true);
            next = found < 0 ? -1 : next + 1 + found;
        }

        return mask;
    }

    private static ReadOnlySpan<byte> Bytes(ReadOnlySpan<bool> values) => MemoryMarshal.Cast<bool, byte>(values);

    private static Span<byte> Bytes(Span<bool> values) => MemoryMarshal.Cast<bool, byte>(values);
}
