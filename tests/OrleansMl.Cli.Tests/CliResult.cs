using System.Text.Json;

namespace OrleansMl.Cli.Tests;

/// <summary>What one in-process command printed, and its exit code.</summary>
public sealed record CliResult(int ExitCode, string Out, string Err)
{
    /// <summary>The standard output as JSON (for <c>--output json</c>).</summary>
    public JsonElement Json => JsonSerializer.Deserialize<JsonElement>(Out);

    /// <summary>The standard error as JSON (the problem of a failed <c>--output json</c> command).</summary>
    public JsonElement ErrorJson => JsonSerializer.Deserialize<JsonElement>(Err);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Err}";
}
