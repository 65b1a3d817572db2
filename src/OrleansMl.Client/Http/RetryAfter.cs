using System.Net;

namespace OrleansMl.Client;

/// <summary>Reads <c>Retry-After</c> (RFC 9110 §10.2.3): a number of seconds or an HTTP date.</summary>
internal static class RetryAfter
{
    /// <summary>The delay an answer asks for (never negative), or null when it has no <c>Retry-After</c>.</summary>
    public static TimeSpan? Of(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var left = date - time.GetUtcNow();
            return left < TimeSpan.Zero ? TimeSpan.Zero : left;
        }

        return null;
    }

    /// <summary>The statuses a call is retried on: the gateway is overloaded or briefly unavailable.</summary>
    public static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests;
}
