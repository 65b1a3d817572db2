using System.Runtime.Intrinsics;

namespace OrleansMl.Ml.Knn;

/// <summary>
/// One step of a per-pair accumulation: eight lanes at a time over the whole 8-float chunks of the
/// two vectors, then one float at a time over the tail. <see cref="PairKernels"/> fixes the order.
/// Both steps must give the same bits with query and row swapped (the kernels rely on it).
/// </summary>
internal interface IPairOp
{
    static abstract Vector256<float> Step(Vector256<float> accumulator, Vector256<float> query, Vector256<float> row);

    static abstract float Step(float accumulator, float query, float row);
}
