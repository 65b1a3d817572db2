using System.CommandLine;
using System.CommandLine.Invocation;
using OrleansMl.Cli.Admin;
using OrleansMl.Cli.Datasets;
using OrleansMl.Cli.Endpoints;
using OrleansMl.Cli.Experiments;
using OrleansMl.Cli.Models;
using OrleansMl.Cli.Sql;
using Spectre.Console;

namespace OrleansMl.Cli;

/// <summary>The <c>orleansml</c> command tree, buildable in-process so tests (and other hosts) can run commands against any console.</summary>
public static class CliApp
{
    /// <summary>The root command with every command group.</summary>
    public static RootCommand BuildRootCommand(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = new RootCommand("orleansml: datasets, experiments, models and endpoints of an OrleansMl platform.");
        context.Options.AddTo(root);
        root.Subcommands.Add(ServerMoved(context));
        root.Subcommands.Add(DatasetCommands.Create(context));
        root.Subcommands.Add(ExperimentCommands.Create(context));
        root.Subcommands.Add(Runs.RunCommands.Create(context));
        root.Subcommands.Add(ModelCommands.Create(context));
        root.Subcommands.Add(EndpointCommands.Create(context));
        root.Subcommands.Add(SqlCommand.Create(context));
        root.Subcommands.Add(Artifacts.ArtifactCommands.Create(context));
        root.Subcommands.Add(Cluster.ClusterCommand.Create(context));
        root.Subcommands.Add(Workspaces.WorkspaceCommands.Create(context));
        root.Subcommands.Add(AdminCommands.Create(context));
        return root;
    }

    /// <summary>
    /// A tool's whole Main: consoles on stdout and stderr (240 columns wide into a file or a pipe, so that lines and
    /// tables keep their width instead of wrapping at 80), the tree <paramref name="build"/> makes, and <paramref name="args"/> run.
    /// </summary>
    public static Task<int> RunMainAsync(string[] args, Func<CliContext, RootCommand> build)
    {
        ArgumentNullException.ThrowIfNull(build);
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
        return InvokeAsync(build(context), context, args);
    }

    /// <summary>Parses and runs <paramref name="args"/>; a command line that does not parse prints why and returns <see cref="ExitCodes.Usage"/>.</summary>
    public static async Task<int> InvokeAsync(RootCommand root, CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(context);
        // No response files: "@file" is this CLI's own syntax for --steps and --json.
        var parseResult = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var configuration = new InvocationConfiguration
        {
            Output = context.Output.Profile.Out.Writer,
            Error = context.Error.Profile.Out.Writer,
            // orleansml-server's `start` needs time to leave the cluster after Ctrl+C; other commands stop at once.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
        };
        var code = await parseResult.InvokeAsync(configuration, cancellationToken);
        return parseResult.Action is ParseErrorAction ? ExitCodes.Usage : code;
    }

    /// <summary>Builds the commands for <paramref name="output"/> and <paramref name="error"/> and runs <paramref name="args"/>.</summary>
    public static Task<int> InvokeAsync(
        IReadOnlyList<string> args,
        IAnsiConsole output,
        IAnsiConsole? error = null,
        CancellationToken cancellationToken = default)
    {
        var context = new CliContext(output, error ?? output);
        return InvokeAsync(BuildRootCommand(context), context, args, cancellationToken);
    }

    /// <summary>
    /// <c>server …</c> of earlier versions: the platform is no longer inside this tool (it would make a
    /// 190 MB download of a client), so the command says where it went.
    /// </summary>
    private static Command ServerMoved(CliContext context)
    {
        var command = new Command("server", "The platform itself is the OrleansMl.Server tool: `dotnet tool install -g OrleansMl.Server`, then `orleansml-server start`.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(_ =>
        {
            context.Error.MarkupLine("[red]error:[/] this tool is the client only; the platform is the OrleansMl.Server tool.");
            context.Error.MarkupLine("  dotnet tool install -g OrleansMl.Server   (or: dotnet run --project src/OrleansMl.Server -- start)");
            context.Error.MarkupLine("  orleansml-server start");
            return ExitCodes.Usage;
        });
        return command;
    }
}
