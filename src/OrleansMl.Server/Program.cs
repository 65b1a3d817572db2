using OrleansMl.Cli;
using OrleansMl.Server;
using Spectre.Console;

var error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
if (Console.IsOutputRedirected)
{
    AnsiConsole.Console.Profile.Width = 240;
}

if (Console.IsErrorRedirected)
{
    error.Profile.Width = 240;
}

var context = new CliContext(AnsiConsole.Console, error);
return await CliApp.InvokeAsync(ServerCli.BuildRootCommand(context), context, args);
