namespace OrleansMl.Serving;

/// <summary>
/// The <c>OrleansMl:Serving</c> section: how each silo's predictors batch requests and keep models.
/// </summary>
public sealed class ServingOptions
{
    public const string SectionName = "OrleansMl:Serving";

    /// <summary>The most rows one micro-batch gathers from concurrent requests. Default 256. A larger request is scored alone.</summary>
    public int MaxBatchRows { get; set; } = 256;

    /// <summary>
    /// How long a batch waits for more requests after its first one. Default 0: a batch takes what is
    /// already queued, so batches form only under load and an idle predictor adds no latency.
    /// </summary>
    public TimeSpan MaxBatchWait { get; set; } = TimeSpan.Zero;

    /// <summary>Batches of one model scored at the same time on a silo. Default: the processor count.</summary>
    public int BatchConcurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>After a model fails to load, requests get that failure for this long before the next try. Default 10 s.</summary>
    public TimeSpan LoadRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A loaded model no request has used for this long is unloaded. Default 10 minutes.</summary>
    public TimeSpan IdleUnload { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Feature values one model's queue on a silo may hold while its batches are scored: a request past it
    /// is answered 503 with Retry-After instead of queueing. Default 32M (128 MB of floats).
    /// </summary>
    public long MaxQueuedValues { get; set; } = 32L << 20;

    /// <summary>The problems of these settings, each naming its setting; empty when they are valid.</summary>
    public IEnumerable<string> Validate()
    {
        if (MaxBatchRows < 1)
        {
            yield return $"{SectionName}:MaxBatchRows must be at least 1 (got {MaxBatchRows}).";
        }

        if (MaxBatchWait < TimeSpan.Zero || MaxBatchWait > TimeSpan.FromSeconds(1))
        {
            yield return $"{SectionName}:MaxBatchWait must be from 0 to 1 second (got {MaxBatchWait}).";
        }

        if (MaxQueuedValues < 1)
        {
            yield return $"{SectionName}:MaxQueuedValues must be at least 1 (got {MaxQueuedValues}).";
        }

        if (BatchConcurrency < 1)
        {
            yield return $"{SectionName}:BatchConcurrency must be at least 1 (got {BatchConcurrency}).";
        }

        if (LoadRetryDelay < TimeSpan.Zero)
        {
            yield return $"{SectionName}:LoadRetryDelay must not be negative (got {LoadRetryDelay}).";
        }

        if (IdleUnload <= TimeSpan.Zero)
        {
            yield return $"{SectionName}:IdleUnload must be positive (got {IdleUnload}).";
        }
    }
}
