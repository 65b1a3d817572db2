using System.CommandLine;

namespace OrleansMl.Cli.Server;

/// <summary><c>orleansml server …</c>: the platform itself, embedded in this process.</summary>
public static class ServerCommands
{
    public static Command Create(CliContext context) => new("server", "Run the OrleansMl platform in this process.")
    {
        ServerStartCommand.Create(context),
    };
}
