using System.Net;
using System.Text.Json;

namespace OrleansMl.Client;

/// <summary>Turns an answer that is not a success into an <see cref="OrleansMlApiException"/>.</summary>
internal static class ProblemReader
{
    private const int MaxDetailLength = 2_000;

    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    public static async Task<OrleansMlApiException> ExceptionAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var problem = Parse(text, status) ?? new ApiProblem(
            response.ReasonPhrase is { Length: > 0 } reason ? reason : ((HttpStatusCode)status).ToString(),
            string.IsNullOrWhiteSpace(text) ? null : text.Length > MaxDetailLength ? text[..MaxDetailLength] + "…" : text.Trim(),
            status,
            NoErrors);
        return new OrleansMlApiException(status, problem, RetryAfter.Of(response, time));
    }

    /// <summary>An RFC 9457 document (whatever its content type says), or null when the text is not one.</summary>
    private static ApiProblem? Parse(string text, int status)
    {
        if (text.Length == 0 || text[0] != '{')
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var title = String(root, "title");
            if (title is null && !root.TryGetProperty("status", out _))
            {
                return null;
            }

            return new ApiProblem(
                title ?? ((HttpStatusCode)status).ToString(),
                String(root, "detail"),
                root.TryGetProperty("status", out var s) && s.TryGetInt32(out var number) ? number : status,
                Errors(root),
                String(root, "traceId"),
                String(root, "type"),
                String(root, "error"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IReadOnlyDictionary<string, string[]> Errors(JsonElement root)
    {
        if (!root.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object)
        {
            return NoErrors;
        }

        var fields = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var field in errors.EnumerateObject())
        {
            fields[field.Name] = field.Value.ValueKind switch
            {
                JsonValueKind.Array => [.. field.Value.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? m.GetString()! : m.GetRawText())],
                JsonValueKind.String => [field.Value.GetString()!],
                _ => [field.Value.GetRawText()],
            };
        }

        return fields;
    }
}
