namespace OrleansMl.Cli.Errors;

/// <summary>The work could not be done: an import or experiment failed (exit code 1), or the command refused a request itself.</summary>
/// <param name="hint">What to do next, printed after the message.</param>
/// <param name="exitCode">The process exit code; <see cref="ExitCodes.Failed"/> unless the command says otherwise.</param>
public sealed class CommandFailedException(string message, string? hint = null, int exitCode = ExitCodes.Failed) : Exception(message)
{
    public string? Hint { get; } = hint;

    public int ExitCode { get; } = exitCode;
}
