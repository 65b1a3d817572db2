using System.Text;

namespace OrleansMl.Client;

/// <summary>Thrown for every answer that is not a success: carries the status and the RFC 9457 problem.</summary>
public sealed class OrleansMlApiException : Exception
{
    /// <summary>Creates the exception for a problem answered with <paramref name="statusCode"/>.</summary>
    public OrleansMlApiException(int statusCode, ApiProblem problem, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(MessageOf(problem), innerException)
    {
        ArgumentNullException.ThrowIfNull(problem);
        StatusCode = statusCode;
        Problem = problem;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>The problem the gateway answered (or one made from the status text when it sent none).</summary>
    public ApiProblem Problem { get; }

    /// <summary>The answer's <c>Retry-After</c>, when it had one (503 and 429).</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>"{Title} {Detail}", then one "field: message" line per validation error.</summary>
    private static string MessageOf(ApiProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var message = new StringBuilder(problem.Title);
        if (!string.IsNullOrEmpty(problem.Detail))
        {
            message.Append(' ').Append(problem.Detail);
        }

        foreach (var (field, errors) in problem.Errors)
        {
            foreach (var error in errors)
            {
                message.AppendLine().Append(field).Append(": ").Append(error);
            }
        }

        return message.ToString();
    }
}
