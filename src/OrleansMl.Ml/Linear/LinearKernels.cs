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
internal static partial class LinearKernels
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
}
