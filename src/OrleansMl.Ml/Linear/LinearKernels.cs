using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OrleansMl.Ml.Linear;

/// <summary>
/// The dense arithmetic of the linear objectives, in double precision over a block of rows widened
/// from float and padded with zeros to a whole number of 4-double vectors (<c>stride</c>).
/// </summary>
/// <remarks>
/// <para>
/// A score (row r, output c) is one 4-lane accumulator of fused multiply-adds over the padded row in
/// order, reduced as (l0 + l2) + (l1 + l3), plus the bias: the same sequence whichever kernel, tile or
/// block computes it. A gradient element (c, j) takes one fused multiply-add a row, in row order,
/// onto its running value: so the gradient of rows added block after block is the gradient of all the
/// rows at once, bit for bit, whatever the block size. The zero padding adds exact zeros.
/// </para>
/// <para>The caller guarantees the extents; the kernels do not check them.</para>
/// </remarks>
internal static class LinearKernels
{
    /// <summary>The padded row length: <paramref name="dimension"/> rounded up to a multiple of 4.</summary>
    public static int Stride(int dimension) => (dimension + 3) & ~3;

    /// <summary>Widens <paramref name="rows"/> rows of <paramref name="dimension"/> floats into rows of <paramref name="stride"/> doubles, zeros after the values.</summary>
    public static void Widen(ReadOnlySpan<float> source, int rows, int dimension, Span<double> target, int stride)
    {
        for (var r = 0; r < rows; r++)
        {
            var from = source.Slice(r * dimension, dimension);
            var to = target.Slice(r * stride, stride);
            ref var f = ref MemoryMarshal.GetReference(from);
            ref var t = ref MemoryMarshal.GetReference(to);
            var j = 0;
            for (; j + 8 <= dimension; j += 8)
            {
                var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref f, (nuint)j));
                lower.StoreUnsafe(ref t, (nuint)j);
                upper.StoreUnsafe(ref t, (nuint)(j + 4));
            }

            for (; j < dimension; j++)
            {
                Unsafe.Add(ref t, j) = Unsafe.Add(ref f, j);
            }

            to[dimension..].Clear();
        }
    }

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

    /// <summary>
    /// <c>g[c * stride + j] += Σ_r residual[r * outputs + c]·x[r * stride + j]</c> and
    /// <c>biasGradient[c] += Σ_r residual[r * outputs + c]</c>, the rows taken in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddGradient(ReadOnlySpan<double> x, int rows, int stride, ReadOnlySpan<double> residual, int outputs, Span<double> g, Span<double> biasGradient)
    {
        ref var x0 = ref MemoryMarshal.GetReference(x);
        ref var r0 = ref MemoryMarshal.GetReference(residual);
        ref var g0 = ref MemoryMarshal.GetReference(g);
        var c = 0;
        for (; c + 4 <= outputs; c += 4)
        {
            Gradient4(ref x0, rows, stride, ref Unsafe.Add(ref r0, c), outputs, ref Unsafe.Add(ref g0, (nint)c * stride));
        }

        for (; c + 2 <= outputs; c += 2)
        {
            Gradient2(ref x0, rows, stride, ref Unsafe.Add(ref r0, c), outputs, ref Unsafe.Add(ref g0, (nint)c * stride));
        }

        for (; c < outputs; c++)
        {
            Gradient1(ref x0, rows, stride, ref Unsafe.Add(ref r0, c), outputs, ref Unsafe.Add(ref g0, (nint)c * stride));
        }

        for (var r = 0; r < rows; r++)
        {
            var line = residual.Slice(r * outputs, outputs);
            for (var k = 0; k < outputs; k++)
            {
                biasGradient[k] += line[k];
            }
        }
    }

    /// <summary>
    /// Whether the JIT has 32 vector registers (it does with AVX-512), room for 4 × 4 tiles of
    /// accumulators; else the tiles are 4 × 2. Every tile gives the same bits.
    /// </summary>
    private static bool ManyRegisters => Vector512.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Reduce(Vector256<double> accumulator)
    {
        var half = accumulator.GetLower() + accumulator.GetUpper();
        return half.ToScalar() + half.GetElement(1);
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

    /// <summary>Four outputs (residual columns from <paramref name="residual"/>, gradient rows from <paramref name="g"/>).</summary>
    private static void Gradient4(ref double x, int rows, int stride, ref double residual, int outputs, ref double g)
    {
        var d = (nuint)stride;
        ref var g1 = ref Unsafe.Add(ref g, d);
        ref var g2 = ref Unsafe.Add(ref g1, d);
        ref var g3 = ref Unsafe.Add(ref g2, d);
        nuint j = 0;
        if (ManyRegisters)
        {
            for (; j + 16 <= d; j += 16)
            {
                Gradient4x16(ref Unsafe.Add(ref x, j), rows, d, ref residual, (nuint)outputs, ref Unsafe.Add(ref g, j), d);
            }
        }

        for (; j + 8 <= d; j += 8)
        {
            var a00 = Vector256.LoadUnsafe(ref g, j);
            var a01 = Vector256.LoadUnsafe(ref g, j + 4);
            var a10 = Vector256.LoadUnsafe(ref g1, j);
            var a11 = Vector256.LoadUnsafe(ref g1, j + 4);
            var a20 = Vector256.LoadUnsafe(ref g2, j);
            var a21 = Vector256.LoadUnsafe(ref g2, j + 4);
            var a30 = Vector256.LoadUnsafe(ref g3, j);
            var a31 = Vector256.LoadUnsafe(ref g3, j + 4);
            ref var row = ref Unsafe.Add(ref x, j);
            ref var e = ref residual;
            for (var r = 0; r < rows; r++)
            {
                var u0 = Vector256.LoadUnsafe(ref row);
                var u1 = Vector256.LoadUnsafe(ref row, 4);
                var b = Vector256.Create(e);
                a00 = Vector256.FusedMultiplyAdd(u0, b, a00);
                a01 = Vector256.FusedMultiplyAdd(u1, b, a01);
                b = Vector256.Create(Unsafe.Add(ref e, 1));
                a10 = Vector256.FusedMultiplyAdd(u0, b, a10);
                a11 = Vector256.FusedMultiplyAdd(u1, b, a11);
                b = Vector256.Create(Unsafe.Add(ref e, 2));
                a20 = Vector256.FusedMultiplyAdd(u0, b, a20);
                a21 = Vector256.FusedMultiplyAdd(u1, b, a21);
                b = Vector256.Create(Unsafe.Add(ref e, 3));
                a30 = Vector256.FusedMultiplyAdd(u0, b, a30);
                a31 = Vector256.FusedMultiplyAdd(u1, b, a31);
                row = ref Unsafe.Add(ref row, d);
                e = ref Unsafe.Add(ref e, outputs);
            }

            a00.StoreUnsafe(ref g, j);
            a01.StoreUnsafe(ref g, j + 4);
            a10.StoreUnsafe(ref g1, j);
            a11.StoreUnsafe(ref g1, j + 4);
            a20.StoreUnsafe(ref g2, j);
            a21.StoreUnsafe(ref g2, j + 4);
            a30.StoreUnsafe(ref g3, j);
            a31.StoreUnsafe(ref g3, j + 4);
        }

        if (j < d)
        {
            var a0 = Vector256.LoadUnsafe(ref g, j);
            var a1 = Vector256.LoadUnsafe(ref g1, j);
            var a2 = Vector256.LoadUnsafe(ref g2, j);
            var a3 = Vector256.LoadUnsafe(ref g3, j);
            ref var row = ref Unsafe.Add(ref x, j);
            ref var e = ref residual;
            for (var r = 0; r < rows; r++)
            {
                var u = Vector256.LoadUnsafe(ref row);
                a0 = Vector256.FusedMultiplyAdd(u, Vector256.Create(e), a0);
                a1 = Vector256.FusedMultiplyAdd(u, Vector256.Create(Unsafe.Add(ref e, 1)), a1);
                a2 = Vector256.FusedMultiplyAdd(u, Vector256.Create(Unsafe.Add(ref e, 2)), a2);
                a3 = Vector256.FusedMultiplyAdd(u, Vector256.Create(Unsafe.Add(ref e, 3)), a3);
                row = ref Unsafe.Add(ref row, d);
                e = ref Unsafe.Add(ref e, outputs);
            }

            a0.StoreUnsafe(ref g, j);
            a1.StoreUnsafe(ref g1, j);
            a2.StoreUnsafe(ref g2, j);
            a3.StoreUnsafe(ref g3, j);
        }
    }

    /// <summary>Four gradient rows (<paramref name="g"/>, <paramref name="stride"/> apart) × 16 columns.</summary>
    private static void Gradient4x16(ref double x, int rows, nuint d, ref double residual, nuint outputs, ref double g, nuint stride)
    {
        ref var g1 = ref Unsafe.Add(ref g, stride);
        ref var g2 = ref Unsafe.Add(ref g1, stride);
        ref var g3 = ref Unsafe.Add(ref g2, stride);
        var a00 = Vector256.LoadUnsafe(ref g);
        var a01 = Vector256.LoadUnsafe(ref g, 4);
        var a02 = Vector256.LoadUnsafe(ref g, 8);
        var a03 = Vector256.LoadUnsafe(ref g, 12);
        var a10 = Vector256.LoadUnsafe(ref g1);
        var a11 = Vector256.LoadUnsafe(ref g1, 4);
        var a12 = Vector256.LoadUnsafe(ref g1, 8);
        var a13 = Vector256.LoadUnsafe(ref g1, 12);
        var a20 = Vector256.LoadUnsafe(ref g2);
        var a21 = Vector256.LoadUnsafe(ref g2, 4);
        var a22 = Vector256.LoadUnsafe(ref g2, 8);
        var a23 = Vector256.LoadUnsafe(ref g2, 12);
        var a30 = Vector256.LoadUnsafe(ref g3);
        var a31 = Vector256.LoadUnsafe(ref g3, 4);
        var a32 = Vector256.LoadUnsafe(ref g3, 8);
        var a33 = Vector256.LoadUnsafe(ref g3, 12);
        ref var row = ref x;
        ref var e = ref residual;
        for (var r = 0; r < rows; r++)
        {
            var u0 = Vector256.LoadUnsafe(ref row);
            var u1 = Vector256.LoadUnsafe(ref row, 4);
            var u2 = Vector256.LoadUnsafe(ref row, 8);
            var u3 = Vector256.LoadUnsafe(ref row, 12);
            var b = Vector256.Create(e);
            a00 = Vector256.FusedMultiplyAdd(u0, b, a00);
            a01 = Vector256.FusedMultiplyAdd(u1, b, a01);
            a02 = Vector256.FusedMultiplyAdd(u2, b, a02);
            a03 = Vector256.FusedMultiplyAdd(u3, b, a03);
            b = Vector256.Create(Unsafe.Add(ref e, 1));
            a10 = Vector256.FusedMultiplyAdd(u0, b, a10);
            a11 = Vector256.FusedMultiplyAdd(u1, b, a11);
            a12 = Vector256.FusedMultiplyAdd(u2, b, a12);
            a13 = Vector256.FusedMultiplyAdd(u3, b, a13);
            b = Vector256.Create(Unsafe.Add(ref e, 2));
            a20 = Vector256.FusedMultiplyAdd(u0, b, a20);
            a21 = Vector256.FusedMultiplyAdd(u1, b, a21);
            a22 = Vector256.FusedMultiplyAdd(u2, b, a22);
            a23 = Vector256.FusedMultiplyAdd(u3, b, a23);
            b = Vector256.Create(Unsafe.Add(ref e, 3));
            a30 = Vector256.FusedMultiplyAdd(u0, b, a30);
            a31 = Vector256.FusedMultiplyAdd(u1, b, a31);
            a32 = Vector256.FusedMultiplyAdd(u2, b, a32);
            a33 = Vector256.FusedMultiplyAdd(u3, b, a33);
            row = ref Unsafe.Add(ref row, d);
            e = ref Unsafe.Add(ref e, outputs);
        }

        a00.StoreUnsafe(ref g);
        a01.StoreUnsafe(ref g, 4);
        a02.StoreUnsafe(ref g, 8);
        a03.StoreUnsafe(ref g, 12);
        a10.StoreUnsafe(ref g1);
        a11.StoreUnsafe(ref g1, 4);
        a12.StoreUnsafe(ref g1, 8);
        a13.StoreUnsafe(ref g1, 12);
        a20.StoreUnsafe(ref g2);
        a21.StoreUnsafe(ref g2, 4);
        a22.StoreUnsafe(ref g2, 8);
        a23.StoreUnsafe(ref g2, 12);
        a30.StoreUnsafe(ref g3);
        a31.StoreUnsafe(ref g3, 4);
        a32.StoreUnsafe(ref g3, 8);
        a33.StoreUnsafe(ref g3, 12);
    }

    private static void Gradient2(ref double x, int rows, int stride, ref double residual, int outputs, ref double g)
    {
        var d = (nuint)stride;
        ref var g1 = ref Unsafe.Add(ref g, d);
        nuint j = 0;
        for (; j + 8 <= d; j += 8)
        {
            var a00 = Vector256.LoadUnsafe(ref g, j);
            var a01 = Vector256.LoadUnsafe(ref g, j + 4);
            var a10 = Vector256.LoadUnsafe(ref g1, j);
            var a11 = Vector256.LoadUnsafe(ref g1, j + 4);
            ref var row = ref Unsafe.Add(ref x, j);
            ref var e = ref residual;
            for (var r = 0; r < rows; r++)
            {
                var u0 = Vector256.LoadUnsafe(ref row);
                var u1 = Vector256.LoadUnsafe(ref row, 4);
                var b = Vector256.Create(e);
                a00 = Vector256.FusedMultiplyAdd(u0, b, a00);
                a01 = Vector256.FusedMultiplyAdd(u1, b, a01);
                b = Vector256.Create(Unsafe.Add(ref e, 1));
                a10 = Vector256.FusedMultiplyAdd(u0, b, a10);
                a11 = Vector256.FusedMultiplyAdd(u1, b, a11);
                row = ref Unsafe.Add(ref row, d);
                e = ref Unsafe.Add(ref e, outputs);
            }

            a00.StoreUnsafe(ref g, j);
            a01.StoreUnsafe(ref g, j + 4);
            a10.StoreUnsafe(ref g1, j);
            a11.StoreUnsafe(ref g1, j + 4);
        }

        if (j < d)
        {
            var a0 = Vector256.LoadUnsafe(ref g, j);
            var a1 = Vector256.LoadUnsafe(ref g1, j);
            ref var row = ref Unsafe.Add(ref x, j);
            ref var e = ref residual;
            for (var r = 0; r < rows; r++)
            {
                var u = Vector256.LoadUnsafe(ref row);
                a0 = Vector256.FusedMultiplyAdd(u, Vector256.Create(e), a0);
                a1 = Vector256.FusedMultiplyAdd(u, Vector256.Create(Unsafe.Add(ref e, 1)), a1);
                row = ref Unsafe.Add(ref row, d);
                e = ref Unsafe.Add(ref e, outputs);
            }

            a0.StoreUnsafe(ref g, j);
            a1.StoreUnsafe(ref g1, j);
        }
    }

    private static void Gradient1(ref double x, int rows, int stride, ref double residual, int outputs, ref double g)
    {
        var d = (nuint)stride;
        nuint j = 0;
        for (; j + 16 <= d; j += 16)
        {
            var a0 = Vector256.LoadUnsafe(ref g, j);
            var a1 = Vector256.LoadUnsafe(ref g, j + 4);
            var a2 = Vector256.LoadUnsafe(ref g, j + 8);
            var a3 = Vector256.LoadUnsafe(ref g, j + 12);
            ref var row = ref Unsafe.Add(ref x, j);
            ref var e = ref residual;
            for (var r = 0; r < rows; r++)
            {
                var b = Vector256.Create(e);
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row), b, a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row, 4), b, a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row, 8), b, a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row, 12), b, a3);
                row = ref Unsafe.Add(ref row, d);
                e = ref Unsafe.Add(ref e, outputs);
            }

            a0.StoreUnsafe(ref g, j);
            a1.StoreUnsafe(ref g, j + 4);
            a2.StoreUnsafe(ref g, j + 8);
            a3.StoreUnsafe(ref g, j + 12);
        }

        for (; j < d; j += 4)
        {
            var a = Vector256.LoadUnsafe(ref g, j);
            ref var row = ref Unsafe.Add(ref x, j);
            ref var e = ref residual;
            for (var r = 0; r < rows; r++)
            {
                a = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref row), Vector256.Create(e), a);
                row = ref Unsafe.Add(ref row, d);
                e = ref Unsafe.Add(ref e, outputs);
            }

            a.StoreUnsafe(ref g, j);
        }
    }
}
