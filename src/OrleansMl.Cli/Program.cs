using OrleansMl.Cli;
using Spectre.Console;

var error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

// Into a file or a pipe, lines and tables keep their width instead of wrapping at 80 columns.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Console.Profile.Width = 240;
}

if (Console.IsErrorRedirected)
{
    error.Profile.Width = 240;
}

return await CliApp.InvokeAsync(args, AnsiConsole.Console, error);
