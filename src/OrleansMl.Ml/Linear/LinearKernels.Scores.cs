using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OrleansMl.Ml.Linear;

// Scores: x·w + b, tiles of 4 rows × 4, 2 or 1 outputs.
internal static partial class LinearKernels
{
    /// <summary>
    /// <c>scores[r * outputs + c] = x[r]·w[c] + bias[c]</c> for <paramref name="rows"/> (a multiple of 4)
    /// rows of <paramref name="x"/> and <paramref name="outputs"/> rows of <paramref name="w"/>, both
    /// <paramref name="stride"/> doubles a row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scores(ReadOnlySpan<double> x, int rows, int stride, ReadOnlySpan<double> w, ReadOnlySpan<double> bias, int outputs, Span<double> scores)
    {
        ref var x0 = ref MemoryMarshal.GetReference(x);
        ref var w0 = ref MemoryMarshal.GetReference(w);
        ref var b0 = ref MemoryMarshal.GetReference(bias);
        ref var s0 = ref MemoryMarshal.GetReference(scores);
        var d = (nuint)stride;
        for (var r = 0; r < rows; r += 4)
        {
            ref var row = ref Unsafe.Add(ref x0, (nint)r * stride);
            ref var target = ref Unsafe.Add(ref s0, (nint)r * outputs);
            var c = 0;
            if (ManyRegisters)
            {
                for (; c + 4 <= outputs; c += 4)
                {
                    Scores4x4(ref row, ref Unsafe.Add(ref w0, (nint)c * stride), d, ref Unsafe.Add(ref b0, c), ref Unsafe.Add(ref target, c), (nuint)outputs);
                }
            }

            for (; c + 2 <= outputs; c += 2)
            {
                Scores4x2(ref row, ref Unsafe.Add(ref w0, (nint)c * stride), d, ref Unsafe.Add(ref b0, c), ref Unsafe.Add(ref target, c), (nuint)outputs);
            }

            if (c < outputs)
            {
                Scores4x1(ref row, ref Unsafe.Add(ref w0, (nint)c * stride), d, Unsafe.Add(ref b0, c), ref Unsafe.Add(ref target, c), (nuint)outputs);
            }
        }
    }

    private static void Scores4x4(ref double x0, ref double w0, nuint d, ref double bias, ref double output, nuint outputs)
    {
        ref var x1 = ref Unsafe.Add(ref x0, d);
        ref var x2 = ref Unsafe.Add(ref x1, d);
        ref var x3 = ref Unsafe.Add(ref x2, d);
        ref var w1 = ref Unsafe.Add(ref w0, d);
        ref var w2 = ref Unsafe.Add(ref w1, d);
        ref var w3 = ref Unsafe.Add(ref w2, d);
        var a00 = Vector256<double>.Zero;
        var a01 = Vector256<double>.Zero;
        var a02 = Vector256<double>.Zero;
        var a03 = Vector256<double>.Zero;
        var a10 = Vector256<double>.Zero;
        var a11 = Vector256<double>.Zero;
        var a12 = Vector256<double>.Zero;
        var a13 = Vector256<double>.Zero;
        var a20 = Vector256<double>.Zero;
        var a21 = Vector256<double>.Zero;
        var a22 = Vector256<double>.Zero;
        var a23 = Vector256<double>.Zero;
        var a30 = Vector256<double>.Zero;
        var a31 = Vector256<double>.Zero;
        var a32 = Vector256<double>.Zero;
        var a33 = Vector256<double>.Zero;
        for (nuint j = 0; j < d; j += 4)
        {
            var v0 = Vector256.LoadUnsafe(ref w0, j);
            var v1 = Vector256.LoadUnsafe(ref w1, j);
            var v2 = Vector256.LoadUnsafe(ref w2, j);
            var v3 = Vector256.LoadUnsafe(ref w3, j);
            var u = Vector256.LoadUnsafe(ref x0, j);
            a00 = Vector256.FusedMultiplyAdd(u, v0, a00);
            a01 = Vector256.FusedMultiplyAdd(u, v1, a01);
            a02 = Vector256.FusedMultiplyAdd(u, v2, a02);
            a03 = Vector256.FusedMultiplyAdd(u, v3, a03);
            u = Vector256.LoadUnsafe(ref x1, j);
            a10 = Vector256.FusedMultiplyAdd(u, v0, a10);
            a11 = Vector256.FusedMultiplyAdd(u, v1, a11);
            a12 = Vector256.FusedMultiplyAdd(u, v2, a12);
            a13 = Vector256.FusedMultiplyAdd(u, v3, a13);
            u = Vector256.LoadUnsafe(ref x2, j);
            a20 = Vector256.FusedMultiplyAdd(u, v0, a20);
            a21 = Vector256.FusedMultiplyAdd(u, v1, a21);
            a22 = Vector256.FusedMultiplyAdd(u, v2, a22);
            a23 = Vector256.FusedMultiplyAdd(u, v3, a23);
            u = Vector256.LoadUnsafe(ref x3, j);
            a30 = Vector256.FusedMultiplyAdd(u, v0, a30);
            a31 = Vector256.FusedMultiplyAdd(u, v1, a31);
            a32 = Vector256.FusedMultiplyAdd(u, v2, a32);
            a33 = Vector256.FusedMultiplyAdd(u, v3, a33);
        }

        Store4(ref output, a00, a01, a02, a03, ref bias);
        Store4(ref Unsafe.Add(ref output, outputs), a10, a11, a12, a13, ref bias);
        Store4(ref Unsafe.Add(ref output, 2 * outputs), a20, a21, a22, a23, ref bias);
        Store4(ref Unsafe.Add(ref output, 3 * outputs), a30, a31, a32, a33, ref bias);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4(ref double output, Vector256<double> a0, Vector256<double> a1, Vector256<double> a2, Vector256<double> a3, ref double bias)
    {
        output = Reduce(a0) + bias;
        Unsafe.Add(ref output, 1) = Reduce(a1) + Unsafe.Add(ref bias, 1);
        Unsafe.Add(ref output, 2) = Reduce(a2) + Unsafe.Add(ref bias, 2);
        Unsafe.Add(ref output, 3) = Reduce(a3) + Unsafe.Add(ref bias, 3);
    }

    private static void Scores4x2(ref double x0, ref double w0, nuint d, ref double bias, ref double output, nuint outputs)
    {
        ref var x1 = ref Unsafe.Add(ref x0, d);
        ref var x2 = ref Unsafe.Add(ref x1, d);
        ref var x3 = ref Unsafe.Add(ref x2, d);
        ref var w1 = ref Unsafe.Add(ref w0, d);
        var a00 = Vector256<double>.Zero;
        var a01 = Vector256<double>.Zero;
        var a10 = Vector256<double>.Zero;
        var a11 = Vector256<double>.Zero;
        var a20 = Vector256<double>.Zero;
        var a21 = Vector256<double>.Zero;
        var a30 = Vector256<double>.Zero;
        var a31 = Vector256<double>.Zero;
        for (nuint j = 0; j < d; j += 4)
        {
            var v0 = Vector256.LoadUnsafe(ref w0, j);
            var v1 = Vector256.LoadUnsafe(ref w1, j);
            var u = Vector256.LoadUnsafe(ref x0, j);
            a00 = Vector256.FusedMultiplyAdd(u, v0, a00);
            a01 = Vector256.FusedMultiplyAdd(u, v1, a01);
            u = Vector256.LoadUnsafe(ref x1, j);
            a10 = Vector256.FusedMultiplyAdd(u, v0, a10);
            a11 = Vector256.FusedMultiplyAdd(u, v1, a11);
            u = Vector256.LoadUnsafe(ref x2, j);
            a20 = Vector256.FusedMultiplyAdd(u, v0, a20);
            a21 = Vector256.FusedMultiplyAdd(u, v1, a21);
            u = Vector256.LoadUnsafe(ref x3, j);
            a30 = Vector256.FusedMultiplyAdd(u, v0, a30);
            a31 = Vector256.FusedMultiplyAdd(u, v1, a31);
        }

        var b0 = bias;
        var b1 = Unsafe.Add(ref bias, 1);
        output = Reduce(a00) + b0;
        Unsafe.Add(ref output, 1) = Reduce(a01) + b1;
        Unsafe.Add(ref output, outputs) = Reduce(a10) + b0;
        Unsafe.Add(ref output, outputs + 1) = Reduce(a11) + b1;
        Unsafe.Add(ref output, 2 * outputs) = Reduce(a20) + b0;
        Unsafe.Add(ref output, (2 * outputs) + 1) = Reduce(a21) + b1;
        Unsafe.Add(ref output, 3 * outputs) = Reduce(a30) + b0;
        Unsafe.Add(ref output, (3 * outputs) + 1) = Reduce(a31) + b1;
    }

    private static void Scores4x1(ref double x0, ref double w0, nuint d, double bias, ref double output, nuint outputs)
    {
        ref var x1 = ref Unsafe.Add(ref x0, d);
        ref var x2 = ref Unsafe.Add(ref x1, d);
        ref var x3 = ref Unsafe.Add(ref x2, d);
        var a0 = Vector256<double>.Zero;
        var a1 = Vector256<double>.Zero;
        var a2 = Vector256<double>.Zero;
        var a3 = Vector256<double>.Zero;
        for (nuint j = 0; j < d; j += 4)
        {
            var v = Vector256.LoadUnsafe(ref w0, j);
            a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x0, j), v, a0);
            a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x1, j), v, a1);
            a2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x2, j), v, a2);
            a3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x3, j), v, a3);
        }

        output = Reduce(a0) + bias;
        Unsafe.Add(ref output, outputs) = Reduce(a1) + bias;
        Unsafe.Add(ref output, 2 * outputs) = Reduce(a2) + bias;
        Unsafe.Add(ref output, 3 * outputs) = Reduce(a3) + bias;
    }
}
