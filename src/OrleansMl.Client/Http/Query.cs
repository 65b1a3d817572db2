using System.Globalization;
using System.Text;

namespace OrleansMl.Client;

/// <summary>Builds a relative request path: escaped segments and a query string without the parameters that are null.</summary>
internal static class Query
{
    /// <summary>The longest server-side wait the gateway grants (<c>?wait</c>, seconds).</summary>
    public const int MaxWaitSeconds = 300;

    /// <summary>One path segment, escaped (a name with '/' stays one segment).</summary>
    public static string Segment(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        return Uri.EscapeDataString(value);
    }

    /// <summary>An artifact path: each '/'-separated segment escaped, the slashes kept.</summary>
    public static string ArtifactPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
    }

    public static string With(string path, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var text = new StringBuilder(path);
        var separator = '?';
        foreach (var (name, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }

            var formatted = value switch
            {
                bool b => b ? "true" : "false",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            };
            text.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(formatted));
            separator = '&';
        }

        return text.ToString();
    }

    /// <summary>A <c>?wait</c> in whole seconds (rounded up, at most <see cref="MaxWaitSeconds"/>), or null for no wait.</summary>
    public static int? WaitSeconds(TimeSpan? wait) =>
        wait is not { } w || w <= TimeSpan.Zero ? null : (int)Math.Min(MaxWaitSeconds, Math.Ceiling(w.TotalSeconds));
}
