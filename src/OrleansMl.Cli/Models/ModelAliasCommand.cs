using System.CommandLine;
using Spectre.Console;

namespace OrleansMl.Cli.Models;

/// <summary><c>model alias NAME ALIAS VERSION</c>, <c>--rollback</c> or <c>--remove</c>: moves an alias, every move kept in the history.</summary>
public static class ModelAliasCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = ModelCommands.NameArgument();
        var alias = new Argument<string>("alias") { Description = "The alias, e.g. production or staging." };
        var version = new Argument<int?>("version") { Description = "The version the alias points to.", Arity = ArgumentArity.ZeroOrOne };
        var rollback = new Option<bool>("--rollback") { Description = "Move the alias back to the version it pointed to before." };
        var remove = new Option<bool>("--remove") { Description = "Remove the alias." };
        var command = new Command("alias", "Point an alias at a version, roll it back, or remove it.") { name, alias, version, rollback, remove };
        command.Validators.Add(result =>
        {
            var modes = (result.GetValue(version) is not null ? 1 : 0) + (result.GetValue(rollback) ? 1 : 0) + (result.GetValue(remove) ? 1 : 0);
            if (modes != 1)
            {
                result.AddError("Give a VERSION, or --rollback, or --remove (exactly one).");
            }
        });

        context.SetAction(command, async run =>
        {
            var (model, aliasName) = (run.Get(name), run.Get(alias));
            var info = run.Get(rollback) ? await run.Client.Models.RollBackAliasAsync(model, aliasName, run.CancellationToken)
                : run.Get(remove) ? await run.Client.Models.RemoveAliasAsync(model, aliasName, run.CancellationToken)
                : await run.Client.Models.SetAliasAsync(model, aliasName, run.Get(version)!.Value, run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(info);
                return ExitCodes.Ok;
            }

            run.WriteLine(info.Aliases.TryGetValue(aliasName, out var target)
                ? $"{Markup.Escape(model)}@{Markup.Escape(aliasName)} → version {target}."
                : $"{Markup.Escape(model)}@{Markup.Escape(aliasName)} removed.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
