using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OrleansMl.Ml.Knn;

/// <summary>
/// The per-pair arithmetic of the k-NN kernel, defined once. For a pair (a, b) of
/// <c>dimension</c>-long vectors: one 8-lane accumulator starts at zero and takes
/// <see cref="IPairOp.Step(Vector256{float}, Vector256{float}, Vector256{float})"/> over the whole
/// 8-float chunks in order; the lanes are reduced as ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7));
/// the tail floats are then stepped one at a time in order. Every routine here, single pair or
/// register-blocked, follows exactly that sequence for every pair, so a pair's value does not depend
/// on which block, tile, index or batch it was computed in. The 8-lane layout is fixed (not
/// <c>Vector&lt;float&gt;</c>'s width), so the bits do not depend on the hardware's vector size either.
/// </summary>
internal static class PairKernels
{
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Pair<DotOp>(a, b);

    public static float L1(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Pair<AbsoluteDifferenceOp>(a, b);

    private static float Pair<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
        where TOp : struct, IPairOp
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"The vectors have {a.Length} and {b.Length} values.", nameof(b));
        }

        return Single<TOp>(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b), (nuint)a.Length);
    }

    /// <summary>
    /// Every pair of <paramref name="queryCount"/> queries (rows of <paramref name="queries"/>) and
    /// <paramref name="rowCount"/> rows (of <paramref name="rows"/>), into
    /// <c>output[q * outputStride + r]</c>: 4 × 3 register blocks (twelve accumulators; each loaded chunk
    /// of a row serves four queries, each chunk of a query three rows), 1 × 4 blocks at the edges, single
    /// pairs in the last corner. The caller guarantees the extents.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Block<TOp>(ref float queries, int queryCount, ref float rows, int rowCount, int dimension, ref float output, int outputStride)
        where TOp : struct, IPairOp
    {
        var d = (nuint)dimension;
        var stride = (nuint)outputStride;
        var q = 0;
        for (; q + 4 <= queryCount; q += 4)
        {
            ref var query = ref Unsafe.Add(ref queries, (nint)q * dimension);
            ref var target = ref Unsafe.Add(ref output, (nint)q * outputStride);
            var r = 0;
            for (; r + 3 <= rowCount; r += 3)
            {
                Kernel4x3<TOp>(ref query, ref Unsafe.Add(ref rows, (nint)r * dimension), d, ref Unsafe.Add(ref target, r), stride);
            }

            for (; r < rowCount; r++)
            {
                // One row against the four queries (the operations are symmetric in their two vectors).
                Kernel1x4<TOp>(ref Unsafe.Add(ref rows, (nint)r * dimension), ref query, d, ref Unsafe.Add(ref target, r), stride);
            }
        }

        for (; q < queryCount; q++)
        {
            ref var query = ref Unsafe.Add(ref queries, (nint)q * dimension);
            ref var target = ref Unsafe.Add(ref output, (nint)q * outputStride);
            var r = 0;
            for (; r + 4 <= rowCount; r += 4)
            {
                Kernel1x4<TOp>(ref query, ref Unsafe.Add(ref rows, (nint)r * dimension), d, ref Unsafe.Add(ref target, r), 1);
            }

            for (; r < rowCount; r++)
            {
                Unsafe.Add(ref target, r) = Single<TOp>(ref query, ref Unsafe.Add(ref rows, (nint)r * dimension), d);
            }
        }
    }

    private static float Single<TOp>(ref float a, ref float b, nuint d)
        where TOp : struct, IPairOp
    {
        var whole = d & ~(nuint)7;
        var accumulator = Vector256<float>.Zero;
        for (nuint c = 0; c < whole; c += 8)
        {
            accumulator = TOp.Step(accumulator, Vector256.LoadUnsafe(ref a, c), Vector256.LoadUnsafe(ref b, c));
        }

        return Finish<TOp>(accumulator, ref a, ref b, whole, d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Kernel4x3<TOp>(ref float q0, ref float x0, nuint d, ref float output, nuint stride)
        where TOp : struct, IPairOp
    {
        ref var q1 = ref Unsafe.Add(ref q0, d);
        ref var q2 = ref Unsafe.Add(ref q1, d);
        ref var q3 = ref Unsafe.Add(ref q2, d);
        ref var x1 = ref Unsafe.Add(ref x0, d);
        ref var x2 = ref Unsafe.Add(ref x1, d);
        var a00 = Vector256<float>.Zero;
        var a01 = Vector256<float>.Zero;
        var a02 = Vector256<float>.Zero;
        var a10 = Vector256<float>.Zero;
        var a11 = Vector256<float>.Zero;
        var a12 = Vector256<float>.Zero;
        var a20 = Vector256<float>.Zero;
        var a21 = Vector256<float>.Zero;
        var a22 = Vector256<float>.Zero;
        var a30 = Vector256<float>.Zero;
        var a31 = Vector256<float>.Zero;
        var a32 = Vector256<float>.Zero;
        var whole = d & ~(nuint)7;
        for (nuint c = 0; c < whole; c += 8)
        {
            var r0 = Vector256.LoadUnsafe(ref x0, c);
            var r1 = Vector256.LoadUnsafe(ref x1, c);
            var r2 = Vector256.LoadUnsafe(ref x2, c);
            var v = Vector256.LoadUnsafe(ref q0, c);
            a00 = TOp.Step(a00, v, r0);
            a01 = TOp.Step(a01, v, r1);
            a02 = TOp.Step(a02, v, r2);
            v = Vector256.LoadUnsafe(ref q1, c);
            a10 = TOp.Step(a10, v, r0);
            a11 = TOp.Step(a11, v, r1);
            a12 = TOp.Step(a12, v, r2);
            v = Vector256.LoadUnsafe(ref q2, c);
            a20 = TOp.Step(a20, v, r0);
            a21 = TOp.Step(a21, v, r1);
            a22 = TOp.Step(a22, v, r2);
            v = Vector256.LoadUnsafe(ref q3, c);
            a30 = TOp.Step(a30, v, r0);
            a31 = TOp.Step(a31, v, r1);
            a32 = TOp.Step(a32, v, r2);
        }

        output = Finish<TOp>(a00, ref q0, ref x0, whole, d);
        Unsafe.Add(ref output, 1) = Finish<TOp>(a01, ref q0, ref x1, whole, d);
        Unsafe.Add(ref output, 2) = Finish<TOp>(a02, ref q0, ref x2, whole, d);
        Unsafe.Add(ref output, stride) = Finish<TOp>(a10, ref q1, ref x0, whole, d);
        Unsafe.Add(ref output, stride + 1) = Finish<TOp>(a11, ref q1, ref x1, whole, d);
        Unsafe.Add(ref output, stride + 2) = Finish<TOp>(a12, ref q1, ref x2, whole, d);
        Unsafe.Add(ref output, 2 * stride) = Finish<TOp>(a20, ref q2, ref x0, whole, d);
        Unsafe.Add(ref output, (2 * stride) + 1) = Finish<TOp>(a21, ref q2, ref x1, whole, d);
        Unsafe.Add(ref output, (2 * stride) + 2) = Finish<TOp>(a22, ref q2, ref x2, whole, d);
        Unsafe.Add(ref output, 3 * stride) = Finish<TOp>(a30, ref q3, ref x0, whole, d);
        Unsafe.Add(ref output, (3 * stride) + 1) = Finish<TOp>(a31, ref q3, ref x1, whole, d);
        Unsafe.Add(ref output, (3 * stride) + 2) = Finish<TOp>(a32, ref q3, ref x2, whole, d);
    }

    /// <summary>One vector against four consecutive ones; results at output[0], output[step], output[2·step], output[3·step].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Kernel1x4<TOp>(ref float one, ref float x0, nuint d, ref float output, nuint step)
        where TOp : struct, IPairOp
    {
        ref var x1 = ref Unsafe.Add(ref x0, d);
        ref var x2 = ref Unsafe.Add(ref x1, d);
        ref var x3 = ref Unsafe.Add(ref x2, d);
        var a0 = Vector256<float>.Zero;
        var a1 = Vector256<float>.Zero;
        var a2 = Vector256<float>.Zero;
        var a3 = Vector256<float>.Zero;
        var whole = d & ~(nuint)7;
        for (nuint c = 0; c < whole; c += 8)
        {
            var v = Vector256.LoadUnsafe(ref one, c);
            a0 = TOp.Step(a0, v, Vector256.LoadUnsafe(ref x0, c));
            a1 = TOp.Step(a1, v, Vector256.LoadUnsafe(ref x1, c));
            a2 = TOp.Step(a2, v, Vector256.LoadUnsafe(ref x2, c));
            a3 = TOp.Step(a3, v, Vector256.LoadUnsafe(ref x3, c));
        }

        output = Finish<TOp>(a0, ref one, ref x0, whole, d);
        Unsafe.Add(ref output, step) = Finish<TOp>(a1, ref one, ref x1, whole, d);
        Unsafe.Add(ref output, 2 * step) = Finish<TOp>(a2, ref one, ref x2, whole, d);
        Unsafe.Add(ref output, 3 * step) = Finish<TOp>(a3, ref one, ref x3, whole, d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish<TOp>(Vector256<float> accumulator, ref float a, ref float b, nuint whole, nuint d)
        where TOp : struct, IPairOp
    {
        var half = accumulator.GetLower() + accumulator.GetUpper();
        var sum = (half.GetElement(0) + half.GetElement(2)) + (half.GetElement(1) + half.GetElement(3));
        for (var t = whole; t < d; t++)
        {
            sum = TOp.Step(sum, Unsafe.Add(ref a, t), Unsafe.Add(ref b, t));
        }

        return sum;
    }
}
