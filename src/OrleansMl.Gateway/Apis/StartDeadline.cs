using System.Globalization;

namespace OrleansMl.Gateway.Apis;

/// <summary>
/// How long a call that starts background work (an import, a transform, a split, a scoring, an
/// experiment) waits for the start to be recorded: the caller's <c>wait</c> (at least
/// <see cref="Least"/>), or <see cref="Default"/> without one. Past it the answer is 503 with
/// Retry-After (a <see cref="TimeoutException"/>), instead of holding the request while storage
/// retries for as long as its settings allow (minutes when it is down).
/// </summary>
internal static class StartDeadline
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Least = TimeSpan.FromSeconds(5);

    /// <param name="what">What was started, for the message: "The transform of 'weather'".</param>
    public static async Task<T> WithinAsync<T>(Task<T> start, int? wait, string what)
    {
        var limit = wait is > 0 ? TimeSpan.FromSeconds(Math.Max(wait.Value, Least.TotalSeconds)) : Default;
        try
        {
            return await start.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"{what} was not recorded within {limit.TotalSeconds:0} s: storage or the cluster is slow or unavailable. It may still start; look at the operations before sending it again."));
        }
    }
}
