namespace OrleansMl;

/// <summary>
/// Failures of a grain call that come from the cluster rather than the callee: the callee's silo
/// died and is not yet declared dead, a message was rejected, or the call timed out. Retrying
/// after a pause reaches a new activation on a live silo.
/// </summary>
internal static class ClusterFailures
{
    public static bool IsTransient(Exception e) =>
        e is OrleansMessageRejectionException or TimeoutException or Orleans.Runtime.Messaging.ConnectionFailedException
        || (e.InnerException is { } inner && IsTransient(inner));

    /// <summary>
    /// Calls <paramref name="call"/> again after a pause when it fails with <see cref="IsTransient"/>, at most
    /// <paramref name="attempts"/> times: long enough (3 + 6 + 9 + 12 s) for the cluster to declare a killed
    /// silo dead and the callee to come back on another. For calls that may run twice (a partition writing
    /// its part of a new version to the same path again).
    /// </summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> call, int attempts = 5)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (IsTransient(e) && attempt < attempts)
            {
                await Task.Delay(TimeSpan.FromSeconds(3 * attempt));
            }
        }
    }
}
