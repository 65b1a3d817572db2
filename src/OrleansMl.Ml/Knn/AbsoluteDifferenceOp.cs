using System.Runtime.Intrinsics;

namespace OrleansMl.Ml.Knn;

/// <summary>Sum of absolute differences (the L1 distance itself).</summary>
internal readonly struct AbsoluteDifferenceOp : IPairOp
{
    public static Vector256<float> Step(Vector256<float> accumulator, Vector256<float> query, Vector256<float> row) =>
        accumulator + Vector256.Abs(query - row);

    public static float Step(float accumulator, float query, float row) => accumulator + MathF.Abs(query - row);
}
