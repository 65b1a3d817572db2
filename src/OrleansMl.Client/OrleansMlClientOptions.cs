namespace OrleansMl.Client;

/// <summary>Where the gateway is, how to authenticate, and how patiently to call it.</summary>
public sealed class OrleansMlClientOptions
{
    /// <summary>The gateway's address (default <c>http://localhost:5080</c>); a path prefix is kept.</summary>
    public Uri BaseAddress { get; set; } = new("http://localhost:5080");

    /// <summary>The API key, sent as <c>X-Api-Key</c>; none when null (a gateway with authentication off).</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// How many times a call answered 503 or 429 is sent again (default 3; 0 never retries). The delay
    /// is the answer's <c>Retry-After</c> (seconds or a date), at most <see cref="MaxRetryDelay"/>; without
    /// one it grows exponentially from 1 s. Bodies are re-sent from a buffer (JSON) or by seeking back
    /// (seekable streams); a call whose body is a non-seekable stream is never retried. Other failures
    /// (other statuses, a refused connection, a timeout) are not retried.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The longest delay between two tries, whatever <c>Retry-After</c> asks for (default 30 s).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one try may take until the whole answer has arrived (default 5 minutes); for streamed
    /// answers (watch, download) until the headers have arrived. A server-side <c>wait</c> must stay below it.
    /// Expiry throws <see cref="TimeoutException"/>.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(BaseAddress, nameof(BaseAddress));
        if (!BaseAddress.IsAbsoluteUri || BaseAddress.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"{nameof(BaseAddress)} must be an absolute http or https address (was '{BaseAddress}').", nameof(BaseAddress));
        }

        if (MaxRetries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, $"{nameof(MaxRetries)} must not be negative.");
        }

        if (MaxRetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetryDelay), MaxRetryDelay, $"{nameof(MaxRetryDelay)} must not be negative.");
        }

        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, $"{nameof(Timeout)} must be positive or infinite.");
        }
    }
}
