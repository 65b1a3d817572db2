namespace OrleansMl.Ml.Torch;

/// <summary>
/// Seeds for the generators of row orders and augmentation, mixed from the run's seed and the epoch, batch and
/// replica (SplitMix64): the same in every process, unlike <see cref="HashCode"/>, which .NET randomises per process.
/// </summary>
public static class TorchSeeds
{
    public static int Mix(long seed, int a, int b = 0, int c = 0)
    {
        var x = (ulong)seed;
        foreach (var part in (ReadOnlySpan<int>)[a, b, c])
        {
            x += 0x9E3779B97F4A7C15UL + (uint)part;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            x ^= x >> 31;
        }

        return (int)(x >> 33);
    }
}
