using System.CommandLine;
using OrleansMl.Cli;
using OrleansMl.Server.Quickstart;

namespace OrleansMl.Server;

/// <summary>The <c>orleansml-server</c> command tree: the platform in this process (<c>start</c>) and the Fashion-MNIST loop (<c>quickstart</c>).</summary>
public static class ServerCli
{
    public static RootCommand BuildRootCommand(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = new RootCommand("orleansml-server: the OrleansMl platform (one silo, the HTTP API and web UI, local storage) in this process. Drive it with the orleansml tool.");
        context.Options.AddTo(root);
        root.Subcommands.Add(StartCommand.Create(context));
        root.Subcommands.Add(QuickstartCommand.Create(context));
        return root;
    }
}
