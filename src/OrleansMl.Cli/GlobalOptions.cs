using System.CommandLine;
using OrleansMl.Cli.Output;

namespace OrleansMl.Cli;

/// <summary>The options every command takes: where the platform is, the key to use, and how to print.</summary>
public sealed class GlobalOptions
{
    public const string UrlVariable = "ORLEANSML_URL";
    public const string ApiKeyVariable = "ORLEANSML_API_KEY";
    public const string DefaultUrl = "http://localhost:5080";

    public Option<Uri> Url { get; } = new("--url")
    {
        Description = $"The platform's address (default: ${UrlVariable}, else {DefaultUrl}).",
        Recursive = true,
        DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } url ? url : DefaultUrl),
        CustomParser = result =>
        {
            var text = result.Tokens[^1].Value;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                return uri;
            }

            result.AddError($"--url must be an http or https address such as {DefaultUrl} (was '{text}').");
            return null;
        },
    };

    /// <summary>The key given on the command line; <see cref="ApiKeyOf"/> falls back to the environment (never shown in help).</summary>
    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = $"The API key sent as X-Api-Key (default: ${ApiKeyVariable}).",
        Recursive = true,
    };

    /// <summary><c>table</c>, <c>json</c> or <c>csv</c>; <see cref="FormatOf"/> reads it.</summary>
    public Option<string> Output { get; } = new("--output", "-o")
    {
        Description = "table for people; json for scripts (the raw result on stdout, errors as problem JSON on stderr); csv for rows (sql; other commands print their table).",
        Recursive = true,
        DefaultValueFactory = _ => "table",
    };

    public GlobalOptions() => Output.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, "table", "json", "csv");

    public OutputFormat FormatOf(ParseResult parseResult) => parseResult?.GetValue(Output)?.ToLowerInvariant() switch
    {
        "json" => OutputFormat.Json,
        "csv" => OutputFormat.Csv,
        _ => OutputFormat.Table,
    };

    /// <summary><c>--api-key</c>, else <c>$ORLEANSML_API_KEY</c>, else none.</summary>
    public string? ApiKeyOf(ParseResult parseResult) =>
        parseResult?.GetValue(ApiKey) ?? (Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } key ? key : null);

    internal void AddTo(Command root)
    {
        root.Options.Add(Url);
        root.Options.Add(ApiKey);
        root.Options.Add(Output);
    }
}
