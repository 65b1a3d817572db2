using System.CommandLine;

namespace OrleansMl.Cli.Models;

/// <summary><c>model history NAME</c>: the versions, then every alias move.</summary>
public static class ModelHistoryCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = ModelCommands.NameArgument();
        var command = new Command("history", "A model's versions and every alias move (who, when, from and to).") { name };
        context.SetAction(command, async run =>
        {
            var model = await run.Client.Models.GetAsync(run.Get(name), run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(model);
                return ExitCodes.Ok;
            }

            run.Write(ModelView.Versions(model));
            run.Write(ModelView.History(model));
            return ExitCodes.Ok;
        });
        return command;
    }
}
