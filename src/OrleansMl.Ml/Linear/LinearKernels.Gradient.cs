using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OrleansMl.Ml.Linear;

// Gradient sums: residualᵀ·x, tiles of 4, 2 or 1 outputs × 16, 8 or 4 columns.
internal static partial class LinearKernels
{
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
