using System.CommandLine;
using System.CommandLine.Invocation;
using OrleansMl.Cli.Admin;
using OrleansMl.Cli.Datasets;
using OrleansMl.Cli.Endpoints;
using OrleansMl.Cli.Experiments;
using OrleansMl.Cli.Models;
using OrleansMl.Cli.Server;
using OrleansMl.Cli.Sql;
using Spectre.Console;

namespace OrleansMl.Cli;

/// <summary>The <c>orleansml</c> command tree, buildable in-process so tests (and other hosts) can run commands against any console.</summary>
public static class CliApp
{
    /// <summary>
    /// The root command with every command group. <paramref name="extraCommands"/> adds commands built
    /// with the same <see cref="CliContext"/> (its global options, client and exit codes), e.g. <c>quickstart</c>.
    /// </summary>
    public static RootCommand BuildRootCommand(CliContext context, Func<CliContext, IEnumerable<Command>>? extraCommands = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = new RootCommand("orleansml: datasets, experiments, models and endpoints of an OrleansMl platform.");
        context.Options.AddTo(root);
        root.Subcommands.Add(ServerCommands.Create(context));
        root.Subcommands.Add(DatasetCommands.Create(context));
        root.Subcommands.Add(ExperimentCommands.Create(context));
        root.Subcommands.Add(Runs.RunCommands.Create(context));
        root.Subcommands.Add(ModelCommands.Create(context));
        root.Subcommands.Add(EndpointCommands.Create(context));
        root.Subcommands.Add(SqlCommand.Create(context));
        root.Subcommands.Add(Artifacts.ArtifactCommands.Create(context));
        root.Subcommands.Add(Cluster.ClusterCommand.Create(context));
        root.Subcommands.Add(AdminCommands.Create(context));
        foreach (var command in extraCommands?.Invoke(context) ?? [])
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <inheritdoc cref="BuildRootCommand(CliContext, Func{CliContext, IEnumerable{Command}}?)"/>
    public static RootCommand BuildRootCommand(IAnsiConsole console, IAnsiConsole? error = null, Func<CliContext, IEnumerable<Command>>? extraCommands = null) =>
        BuildRootCommand(new CliContext(console, error ?? console), extraCommands);

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
            // `server start` needs time to leave the cluster after Ctrl+C; other commands stop at once.
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
        Func<CliContext, IEnumerable<Command>>? extraCommands = null,
        CancellationToken cancellationToken = default)
    {
        var context = new CliContext(output, error ?? output);
        return InvokeAsync(BuildRootCommand(context, extraCommands), context, args, cancellationToken);
    }
}
