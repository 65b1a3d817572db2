using Spectre.Console;

namespace OrleansMl.Cli.Tests;

/// <summary>Runs <c>orleansml</c> commands in this process against recording consoles.</summary>
public static class Cli
{
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, CancellationToken cancellationToken = default)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.InvokeAsync([.. args], Recording(output), Recording(error), cancellationToken);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs an <c>orleansml-server</c> command (the platform in this process) the same way.</summary>
    public static async Task<CliResult> RunServerAsync(IEnumerable<string> args, CancellationToken cancellationToken = default)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(Recording(TextWriter.Synchronized(output)), Recording(TextWriter.Synchronized(error)));
        var code = await CliApp.InvokeAsync(OrleansMl.Server.ServerCli.BuildRootCommand(context), context, [.. args], cancellationToken);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>A console that writes plain text (no colours, no cursor moves) to <paramref name="writer"/>, 200 columns wide.</summary>
    public static IAnsiConsole Recording(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 200;
        return console;
    }
}
