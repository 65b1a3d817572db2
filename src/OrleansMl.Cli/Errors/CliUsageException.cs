namespace OrleansMl.Cli.Errors;

/// <summary>A value the parser accepted but the command cannot use (a file that is not there, JSON that does not parse): exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
