using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using OrleansMl.Serving;
using OrleansMl.Storage.Artifacts;
using OrleansMl.Storage.Resilience;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace OrleansMl.Gateway.Errors;

/// <summary>
/// Turns every exception that escapes an endpoint into an RFC 9457 ProblemDetails with the status
/// that fits: the caller's mistakes are 4xx and say which field, an unavailable cluster or storage
/// is 503 with Retry-After, anything else is 500 without internals (the trace id finds the log).
/// </summary>
public sealed partial class GatewayExceptionHandler(IProblemDetailsService problemDetails, ILogger<GatewayExceptionHandler> logger) : IExceptionHandler
{
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, retryAfter, errors) = Classify(exception);
        if (status >= 500)
        {
            LogServerError(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        if (retryAfter is { } delay)
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        httpContext.Response.StatusCode = status;
        var problem = errors is null
            ? new ProblemDetails { Status = status, Title = title, Detail = detail }
            : new HttpValidationProblemDetails(errors) { Status = status, Title = title, Detail = detail };
        if (httpContext.Request.Path.StartsWithSegments("/v2"))
        {
            problem.Extensions["error"] = detail ?? title; // the Open Inference Protocol's error field
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>The status an exception is answered with (for metrics taken before the answer is written).</summary>
    public static int StatusOf(Exception exception) => Classify(exception).Status;

    private static (int Status, string Title, string? Detail, TimeSpan? RetryAfter, Dictionary<string, string[]>? Errors) Classify(Exception exception) => exception switch
    {
        BadHttpRequestException { InnerException: JsonException json } => (400, "The request body is not valid JSON for this endpoint.", json.Message, null, Field(FieldOf(json.Path), json.Message)),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } e => (413, "The request body is too large.", e.Message, null, null),
        BadHttpRequestException e => (e.StatusCode, "The request is malformed.", e.Message, null, null),
        ArgumentException e => (400, "The request has an invalid value.", MessageOf(e), null, Field(FieldError.FieldOf(e) ?? "request", MessageOf(e))),
        KeyNotFoundException e => (404, "Not found.", e.Message, null, null),
        ResourceConflictException e => (409, "The request conflicts with what exists.", e.Message, null, null),
        UnauthorizedAccessException e => (403, "Forbidden.", e.Message, null, null),
        ModelUnavailableException e => (503, "The model is unavailable.", e.Message, DefaultRetryAfter, null),
        ArtifactNotFoundException e => (404, "Not found.", e.Message, null, null),
        ArtifactConditionFailedException e => (412, "The precondition failed.", e.Message, null, null),
        BrokenCircuitException e => (503, "Storage is unavailable.", "Storage failed repeatedly; calls are paused before the next try.", e.RetryAfter ?? DefaultRetryAfter, null),
        TimeoutRejectedException or TimeoutException => (503, "The platform did not answer in time.", exception.Message, DefaultRetryAfter, null),
        OrleansMessageRejectionException or GatewayTooBusyException or Orleans.Runtime.Messaging.ConnectionFailedException => (503, "The cluster is unavailable.", exception.Message, DefaultRetryAfter, null),
        _ when IsStorageFailure(exception) => (503, "Storage is unavailable.", "Storage did not answer, or failed, after every retry; nothing was changed that is not recorded.", DefaultRetryAfter, null),
        _ => (500, "An unexpected error occurred.", null, null, null),
    };

    /// <summary>A transient storage failure anywhere in the chain: a grain state write that ran out of retries arrives wrapped.</summary>
    private static bool IsStorageFailure(Exception exception) => exception switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsStorageFailure),
        _ => StorageResiliencePipeline.IsTransient(exception) || (exception.InnerException is { } inner && IsStorageFailure(inner)),
    };

    /// <summary>The message without the " (Parameter 'x')" that ArgumentException appends; the field is named separately.</summary>
    private static string MessageOf(ArgumentException e) =>
        FieldError.FieldOf(e) is not { } field ? e.Message : e.Message.Replace($" (Parameter '{field}')", "", StringComparison.Ordinal);

    /// <summary>"$.tags.a" → "tags.a": the field as the caller wrote it.</summary>
    private static string FieldOf(string? jsonPath) =>
        jsonPath is null or "$" ? "body" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath;

    private static Dictionary<string, string[]> Field(string name, string message) => new() { [name] = [message] };

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {Method} {Path} failed")]
    private static partial void LogServerError(ILogger logger, Exception exception, string method, PathString path);
}
