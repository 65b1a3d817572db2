using System.Net;
using Azure;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace OrleansMl.Storage.Resilience;

/// <summary>
/// Builds the pipeline every remote storage call runs through: retry with exponential backoff and
/// jitter (outermost), then a circuit breaker, then a timeout per attempt. Only transient failures
/// are retried: throttling, server errors, timeouts and broken connections, never a 4xx that
/// describes the request itself.
/// </summary>
public static class StorageResiliencePipeline
{
    /// <param name="configureInnermost">Adds strategies closest to the call; tests use it to inject faults.</param>
    public static ResiliencePipeline Create(StorageResilienceOptions options, TimeProvider? timeProvider = null, Action<ResiliencePipelineBuilder>? configureInnermost = null)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider ?? TimeProvider.System };
        var transient = new PredicateBuilder().Handle<Exception>(IsTransient);
        builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = transient,
            MaxRetryAttempts = options.MaxRetryAttempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.BaseDelay,
            MaxDelay = options.MaxDelay,
        });
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            ShouldHandle = transient,
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            SamplingDuration = options.BreakerSamplingDuration,
            BreakDuration = options.BreakDuration,
        });
        builder.AddTimeout(options.AttemptTimeout);
        configureInnermost?.Invoke(builder);
        return builder.Build();
    }

    /// <summary>True for failures that another attempt may not meet.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        RequestFailedException { Status: 0 } => true, // no response: the connection broke
        RequestFailedException e => e.Status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500,
        TimeoutRejectedException or HttpRequestException or IOException => true,
        _ => false,
    };
}
