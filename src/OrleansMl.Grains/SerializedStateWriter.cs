namespace OrleansMl;

/// <summary>
/// Serialises state writes of a reentrant grain: two interleaved turns writing at once would both use
/// the same ETag and the second would fail with an inconsistent-state error.
/// </summary>
public sealed class SerializedStateWriter<T>(IPersistentState<T> state)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task WriteAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await state.WriteStateAsync();
        }
        finally
        {
            _gate.Release();
        }
    }
}
