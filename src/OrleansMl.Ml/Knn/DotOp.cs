using System.Runtime.Intrinsics;

namespace OrleansMl.Ml.Knn;

/// <summary>Dot product: a fused multiply-add per element (one rounding), so FMA and non-FMA hardware agree.</summary>
internal readonly struct DotOp : IPairOp
{
    public static Vector256<float> Step(Vector256<float> accumulator, Vector256<float> query, Vector256<float> row) =>
        Vector256.FusedMultiplyAdd(query, row, accumulator);

    public static float Step(float accumulator, float query, float row) => MathF.FusedMultiplyAdd(query, row, accumulator);
}
