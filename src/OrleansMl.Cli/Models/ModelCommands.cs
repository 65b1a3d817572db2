using System.CommandLine;

namespace OrleansMl.Cli.Models;

/// <summary><c>orleansml model …</c>: register, list, alias, history.</summary>
public static class ModelCommands
{
    public static Command Create(CliContext context) => new("model", "The model registry: versions, aliases and their history.")
    {
        ModelRegisterCommand.Create(context),
        ModelListCommand.Create(context),
        ModelAliasCommand.Create(context),
        ModelHistoryCommand.Create(context),
        ModelVersionCommands.Onnx(context),
        ModelVersionCommands.Delete(context),
    };

    internal static Argument<string> NameArgument() => new("name") { Description = "The model's name." };
}
