using System.CommandLine;

namespace OrleansMl.Cli.Endpoints;

/// <summary><c>orleansml endpoint …</c>: create, update, predict, list, history, delete.</summary>
public static class EndpointCommands
{
    public static Command Create(CliContext context) => new("endpoint", "Serve model versions behind a named endpoint, and ask it for predictions.")
    {
        EndpointSetCommand.Create(context, "create"),
        EndpointSetCommand.Create(context, "update"),
        EndpointPredictCommand.Create(context),
        EndpointManageCommands.List(context),
        EndpointManageCommands.History(context),
        EndpointManageCommands.Delete(context),
    };

    internal static Argument<string> NameArgument() => new("name") { Description = "The endpoint's name." };
}
