using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using OrleansMl.Gateway.Serving;

namespace OrleansMl.Gateway.Audit;

/// <summary>
/// Puts every change on record: each call that is not a read (not GET, HEAD or OPTIONS) and not a
/// prediction, whatever its outcome, and every refused call (401, 403), after its answer is written.
/// A failure to record is logged and does not change the answer: the change it describes has happened.
/// The answer waits at most <see cref="MaxAnswerDelay"/> for the entry.
/// </summary>
public sealed partial class AuditMiddleware(RequestDelegate next, AuditLog log, ILogger<AuditMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // Taken now: the exception handler clears the endpoint before it writes an error.
        var endpoint = context.GetEndpoint();
        try
        {
            await next(context);
        }
        finally
        {
            if (Audited(context, endpoint))
            {
                await RecordAsync(context, endpoint);
            }
        }
    }

    private static bool Audited(HttpContext context, Endpoint? endpoint)
    {
        var status = context.Response.StatusCode;
        if (status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
        {
            return true;
        }

        var method = context.Request.Method;
        return !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method))
            && endpoint?.Metadata.GetMetadata<ServingProtocol>() is null;
    }

    private async Task RecordAsync(HttpContext context, Endpoint? endpoint)
    {
        var user = context.User;
        var entry = new AuditEntry(
            log.Now,
            user.Identity is { IsAuthenticated: true, Name: { } name } ? name : "anonymous",
            endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName,
            context.Request.Method,
            context.Request.Path.Value ?? "/",
            context.Response.StatusCode,
            Activity.Current?.Id ?? context.TraceIdentifier,
            context.Connection.RemoteIpAddress?.ToString());
        var write = log.AppendAsync(entry, CancellationToken.None);
        try
        {
            await write.WaitAsync(MaxAnswerDelay);
        }
        catch (TimeoutException)
        {
            // Storage is slow or away: the answer goes now, the entry when storage takes it (or its failure is logged).
            _ = write.ContinueWith(t => LogNotRecorded(logger, t.Exception!, entry.Method, entry.Path, entry.Status), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        catch (Exception e)
        {
            LogNotRecorded(logger, e, entry.Method, entry.Path, entry.Status);
        }
    }

    /// <summary>
    /// The longest an answer waits for its audit entry to be written before it completes; the write
    /// goes on after it. A response is not finished until the middleware returns, so without this
    /// limit every change would hang for as long as storage retries while storage is down.
    /// </summary>
    public static readonly TimeSpan MaxAnswerDelay = TimeSpan.FromSeconds(2);

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit log did not record {Method} {Path} ({Status})")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, string method, string path, int status);
}
