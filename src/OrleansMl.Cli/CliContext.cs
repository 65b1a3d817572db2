using System.CommandLine;
using OrleansMl.Cli.Errors;
using OrleansMl.Cli.Output;
using OrleansMl.Client;
using Spectre.Console;

namespace OrleansMl.Cli;

/// <summary>
/// What every command shares: the two consoles, the global options and the client they configure.
/// Commands added from outside (<see cref="CliApp.BuildRootCommand"/>) use <see cref="SetAction"/> to get
/// the same client, output format, error messages and exit codes.
/// </summary>
public sealed class CliContext(IAnsiConsole output, IAnsiConsole error, Func<OrleansMlClientOptions, OrleansMlClient>? clientFactory = null)
{
    private readonly Func<OrleansMlClientOptions, OrleansMlClient> _clientFactory = clientFactory ?? (options => new OrleansMlClient(options));

    /// <summary>Results: tables, or JSON with <c>--output json</c>.</summary>
    public IAnsiConsole Output { get; } = output;

    /// <summary>Errors and hints.</summary>
    public IAnsiConsole Error { get; } = error;

    public GlobalOptions Options { get; } = new();

    /// <summary>
    /// Runs <paramref name="action"/> when <paramref name="command"/> is invoked, with a client for the
    /// chosen platform; failures become a message on the error console (or problem JSON) and an <see cref="ExitCodes">exit code</see>.
    /// </summary>
    public void SetAction(Command command, Func<CliInvocation, Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(action);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var format = Options.FormatOf(parseResult);
            var reporter = new ErrorReporter(Error, format, parseResult.GetValue(Options.Url)!);
            try
            {
                using var invocation = new CliInvocation(this, parseResult, format, cancellationToken);
                return await action(invocation);
            }
            catch (Exception e) when (ErrorReporter.Handles(e, cancellationToken))
            {
                return reporter.Report(e);
            }
        });
    }

    internal OrleansMlClient CreateClient(ParseResult parseResult) => _clientFactory(new OrleansMlClientOptions
    {
        BaseAddress = parseResult.GetValue(Options.Url)!,
        ApiKey = Options.ApiKeyOf(parseResult),
    });
}
