using System.Net;
using OrleansMl.Cli.Output;
using OrleansMl.Client;
using Spectre.Console;

namespace OrleansMl.Cli.Errors;

/// <summary>Turns a failed command into a message that says what to do next, and an exit code.</summary>
internal sealed class ErrorReporter(IAnsiConsole error, OutputFormat format, Uri url)
{
    /// <summary>Every failure but the user's own cancellation (Ctrl+C), which System.CommandLine ends.</summary>
    public static bool Handles(Exception exception, CancellationToken cancellationToken) =>
        !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested);

    public int Report(Exception exception) => exception switch
    {
        OrleansMlApiException api => ReportApi(api),
        HttpRequestException http => Print(
            ExitCodes.Unavailable,
            new CliProblem($"The platform at {url} is unreachable.", http.Message, Hint: UnreachableHint)),
        TimeoutException or TaskCanceledException => Print(
            ExitCodes.Unavailable,
            new CliProblem($"The platform at {url} did not answer in time.", exception.Message, Hint: UnreachableHint)),
        CliUsageException usage => Print(ExitCodes.Usage, new CliProblem(usage.Message, null, Hint: "See --help for the expected values.")),
        CommandFailedException failed => Print(failed.ExitCode, new CliProblem(failed.Message, null, Hint: failed.Hint)),
        _ => Print(ExitCodes.Failed, new CliProblem(exception.Message, exception.GetType().FullName)),
    };

    private string UnreachableHint => $"Start it with `orleansml server start` or set --url (or ${GlobalOptions.UrlVariable}) to a running platform.";

    private int ReportApi(OrleansMlApiException exception)
    {
        var (code, hint) = exception.StatusCode switch
        {
            (int)HttpStatusCode.NotFound => (ExitCodes.NotFound, "Check the name; the list commands show what exists."),
            (int)HttpStatusCode.Unauthorized => (ExitCodes.Rejected, $"Pass --api-key or set ${GlobalOptions.ApiKeyVariable}."),
            (int)HttpStatusCode.Forbidden => (ExitCodes.Rejected, "This key may not make this call (the message above says why): use a key with the role it names."),
            (int)HttpStatusCode.BadGateway or (int)HttpStatusCode.ServiceUnavailable or (int)HttpStatusCode.GatewayTimeout =>
                (ExitCodes.Unavailable, "The platform is starting or a part of it is down: try again shortly, or check `orleansml server start`'s log."),
            >= 400 and < 500 => (ExitCodes.Rejected, exception.Problem.Errors.Count > 0 ? "Fix the fields named above and try again." : "Change the request as the message says and try again."),
            _ => (ExitCodes.Failed, "The platform failed; its log has the details."),
        };

        if (format == OutputFormat.Json)
        {
            JsonOutput.Write(error, exception.Problem);
            return code;
        }

        var problem = exception.Problem;
        var title = string.IsNullOrWhiteSpace(problem.Title) ? $"The platform answered {exception.StatusCode}." : problem.Title;
        error.MarkupLine($"[red]error:[/] {Markup.Escape(title)}");
        if (!string.IsNullOrWhiteSpace(problem.Detail))
        {
            error.MarkupLine("  " + Markup.Escape(problem.Detail));
        }

        foreach (var (field, messages) in problem.Errors)
        {
            foreach (var message in messages)
            {
                error.MarkupLine($"  [yellow]{Markup.Escape(field)}[/]: {Markup.Escape(message)}");
            }
        }

        error.MarkupLine($"[grey]{Markup.Escape(hint)}[/]");
        return code;
    }

    private int Print(int code, CliProblem problem)
    {
        if (format == OutputFormat.Json)
        {
            JsonOutput.Write(error, problem);
            return code;
        }

        error.MarkupLine($"[red]error:[/] {Markup.Escape(problem.Title)}");
        if (!string.IsNullOrWhiteSpace(problem.Detail))
        {
            error.MarkupLine("  " + Markup.Escape(problem.Detail));
        }

        if (problem.Hint is not null)
        {
            error.MarkupLine($"[grey]{Markup.Escape(problem.Hint)}[/]");
        }

        return code;
    }
}
