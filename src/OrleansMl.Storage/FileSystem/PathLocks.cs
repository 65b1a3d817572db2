namespace OrleansMl.Storage.FileSystem;

/// <summary>
/// Mutual exclusion per file path inside this process, striped over a fixed set of semaphores so
/// that memory stays bounded however many paths are touched.
/// </summary>
public sealed class PathLocks
{
    private readonly SemaphoreSlim[] _stripes = CreateStripes(256);

    public async ValueTask<Releaser> AcquireAsync(string fullPath, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(uint)StringComparer.Ordinal.GetHashCode(fullPath) % (uint)_stripes.Length];
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(stripe);
    }

    private static SemaphoreSlim[] CreateStripes(int count)
    {
        var stripes = new SemaphoreSlim[count];
        for (var i = 0; i < count; i++)
        {
            stripes[i] = new SemaphoreSlim(1, 1);
        }

        return stripes;
    }

    public readonly struct Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        public void Dispose() => semaphore.Release();
    }
}
