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
}
