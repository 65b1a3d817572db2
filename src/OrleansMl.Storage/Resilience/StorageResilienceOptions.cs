namespace OrleansMl.Storage.Resilience;

/// <summary>How calls to remote storage are retried, timed out and cut off when storage is down.</summary>
public sealed class StorageResilienceOptions
{
    /// <summary>Retries after the first attempt. Default 6.</summary>
    public int MaxRetryAttempts { get; set; } = 6;

    /// <summary>Median delay before the first retry; later ones grow exponentially, with jitter. Default 200 ms.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest delay between two attempts. Default 10 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed for one attempt of one storage call. Default 30 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Share of failed calls within <see cref="BreakerSamplingDuration"/> that opens the circuit. Default 0.5.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls needed within the sampling window before the circuit can open. Default 20.</summary>
    public int BreakerMinimumThroughput { get; set; } = 20;

    /// <summary>Window over which the failure ratio is measured. Default 30 s.</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit fails calls at once before it lets one through. Default 15 s.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The messages that name each invalid setting; empty when all are valid.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        if (MaxRetryAttempts is < 0 or > 100)
        {
            yield return $"{prefix}:MaxRetryAttempts must be between 0 and 100 (was {MaxRetryAttempts}).";
        }

        if (BaseDelay <= TimeSpan.Zero || MaxDelay < BaseDelay)
        {
            yield return $"{prefix}:BaseDelay must be positive and {prefix}:MaxDelay at least as long (were {BaseDelay} and {MaxDelay}).";
        }

        if (AttemptTimeout < TimeSpan.FromMilliseconds(10))
        {
            yield return $"{prefix}:AttemptTimeout must be at least 10 ms (was {AttemptTimeout}).";
        }

        if (BreakerFailureRatio is <= 0 or > 1)
        {
            yield return $"{prefix}:BreakerFailureRatio must be in (0, 1] (was {BreakerFailureRatio}).";
        }

        if (BreakerMinimumThroughput < 2)
        {
            yield return $"{prefix}:BreakerMinimumThroughput must be at least 2 (was {BreakerMinimumThroughput}).";
        }

        if (BreakerSamplingDuration < TimeSpan.FromMilliseconds(500) || BreakDuration < TimeSpan.FromMilliseconds(500))
        {
            yield return $"{prefix}:BreakerSamplingDuration and {prefix}:BreakDuration must be at least 500 ms (were {BreakerSamplingDuration} and {BreakDuration}).";
        }
    }
}
