using Polly;
using Polly.Retry;

namespace OrleansMl.Client;

/// <summary>
/// The Polly pipeline every re-sendable call goes through: 503 and 429 are tried again up to
/// <see cref="OrleansMlClientOptions.MaxRetries"/> times, after the answer's <c>Retry-After</c> when it has
/// one, otherwise after 1 s, 2 s, 4 s, …; every delay is capped by <see cref="OrleansMlClientOptions.MaxRetryDelay"/>.
/// The last answer is returned as it is when the tries run out, so its problem reaches the caller.
/// </summary>
internal static class RetryPipeline
{
    /// <summary>Polly refuses delays over a day.</summary>
    private static readonly TimeSpan LongestDelay = TimeSpan.FromDays(1);

    public static ResiliencePipeline<HttpResponseMessage> Create(OrleansMlClientOptions options, TimeProvider time)
    {
        if (options.MaxRetries == 0)
        {
            return ResiliencePipeline<HttpResponseMessage>.Empty;
        }

        var maxDelay = options.MaxRetryDelay < LongestDelay ? options.MaxRetryDelay : LongestDelay;
        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { } response && RetryAfter.IsTransient(response.StatusCode)),
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = maxDelay,
                UseJitter = false,

                // Read before Polly disposes the answer that is being retried.
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } response && RetryAfter.Of(response, time) is { } asked
                        ? asked < maxDelay ? asked : maxDelay
                        : (TimeSpan?)null),
            })
            .Build();
    }
}
