using System.CommandLine;
using OrleansMl.Cli.Output;
using OrleansMl.Client;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace OrleansMl.Cli;

/// <summary>One command being run: its parsed values, the client (created on first use) and where to print.</summary>
public sealed class CliInvocation : IDisposable
{
    private readonly CliContext _context;
    private OrleansMlClient? _client;

    internal CliInvocation(CliContext context, ParseResult parseResult, OutputFormat format, CancellationToken cancellationToken)
    {
        _context = context;
        ParseResult = parseResult;
        Format = format;
        CancellationToken = cancellationToken;
    }

    public ParseResult ParseResult { get; }

    public OutputFormat Format { get; }

    /// <summary>True with <c>--output json</c>: print <see cref="WriteJson"/> only, no tables or progress.</summary>
    public bool Json => Format == OutputFormat.Json;

    /// <summary>Whether live progress can be drawn: table output on a terminal (not JSON, a pipe, a file or CI).</summary>
    public bool LiveProgress => Format == OutputFormat.Table && Output.Profile.Capabilities.Interactive;

    public CancellationToken CancellationToken { get; }

    public IAnsiConsole Output => _context.Output;

    public IAnsiConsole Error => _context.Error;

    /// <summary>The client for <c>--url</c> and <c>--api-key</c>.</summary>
    public OrleansMlClient Client => _client ??= _context.CreateClient(ParseResult);

    public T? Get<T>(Option<T> option) => ParseResult.GetValue(option);

    public T Get<T>(Argument<T> argument) => ParseResult.GetValue(argument)!;

    /// <summary>Prints <paramref name="value"/> as indented JSON on the output.</summary>
    public void WriteJson<T>(T value) => JsonOutput.Write(Output, value);

    public void Write(IRenderable renderable) => Output.Write(renderable);

    /// <summary>The end of a command that answers one thing: <paramref name="json"/> with <c>--output json</c>, else the line <paramref name="markup"/>; exit code 0.</summary>
    public int Done<T>(T json, string markup)
    {
        if (Json)
        {
            WriteJson(json);
        }
        else
        {
            WriteLine(markup);
        }

        return ExitCodes.Ok;
    }

    /// <summary>Prints a line of markup (escape values with <see cref="Markup.Escape"/>).</summary>
    public void WriteLine(string markup) => Output.MarkupLine(markup);

    public void Dispose() => _client?.Dispose();
}
