namespace OrleansMl.Data.Transforms;

/// <summary>A seeded hash of a row position: deterministic, uniform, the basis of splits and samples.</summary>
public static class RowHash
{
    /// <summary>A 64-bit hash of (seed, position) (SplitMix64 finaliser).</summary>
    public static ulong Key(long seed, long position)
    {
        var z = unchecked((ulong)position + ((ulong)seed * 0x9E3779B97F4A7C15UL) + 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The key mapped to [0, 1).</summary>
    public static double Unit(long seed, long position) => (Key(seed, position) >> 11) * (1.0 / (1UL << 53));
}
