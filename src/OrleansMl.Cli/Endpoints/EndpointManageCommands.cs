using System.CommandLine;
using System.Globalization;
using OrleansMl.Cli.Output;
using OrleansMl.Client;
using Spectre.Console;

namespace OrleansMl.Cli.Endpoints;

/// <summary><c>endpoint list</c>, <c>endpoint history NAME</c> and <c>endpoint delete NAME</c>.</summary>
public static class EndpointManageCommands
{
    public static Command List(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("list", "List the endpoints with their routes, shadow and last change.");
        context.SetAction(command, async run =>
        {
            var names = await run.Client.Endpoints.ListAsync(run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(names);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("name", "revision", "routes (weight)", "shadow", "updated", "by");
            foreach (var name in names)
            {
                var endpoint = await run.Client.Endpoints.GetAsync(name, run.CancellationToken);
                table.AddRow(
                    Cells.Text(name),
                    endpoint.Revision.ToString(CultureInfo.InvariantCulture),
                    Routes(endpoint.Routes),
                    Shadow(endpoint.Shadow),
                    Cells.Time(endpoint.UpdatedAt),
                    Cells.Text(endpoint.UpdatedBy));
            }

            run.Write(table);
            if (names.Count == 0)
            {
                run.WriteLine("[grey]No endpoints yet: orleansml endpoint create NAME --target MODEL:VERSION[/]");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command History(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = EndpointCommands.NameArgument();
        var command = new Command("history", "Every revision of an endpoint, its deletion included: routes, shadow, when and by which key.") { name };
        context.SetAction(command, async run =>
        {
            var changes = await run.Client.Endpoints.GetHistoryAsync(run.Get(name), run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(changes);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("revision", "routes (weight)", "shadow", "at", "by");
            foreach (var change in changes)
            {
                table.AddRow(
                    change.Revision.ToString(CultureInfo.InvariantCulture),
                    change.Routes.Count == 0 ? "[grey]deleted[/]" : Routes(change.Routes),
                    Shadow(change.Shadow),
                    Cells.Time(change.At),
                    Cells.Text(change.By));
            }

            run.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Delete(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = EndpointCommands.NameArgument();
        var command = new Command("delete", "Delete an endpoint; its model versions are then free to delete. Its history stays.") { name };
        context.SetAction(command, async run =>
        {
            var endpoint = run.Get(name);
            await run.Client.Endpoints.DeleteAsync(endpoint, run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(new { deleted = endpoint });
                return ExitCodes.Ok;
            }

            run.WriteLine($"Deleted endpoint {Markup.Escape(endpoint)}. [grey]Its history: orleansml endpoint history {Markup.Escape(endpoint)}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Routes(IReadOnlyList<EndpointRoute> routes) =>
        Markup.Escape(string.Join(", ", routes.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Model}:{r.Version} ({r.Weight})"))));

    private static string Shadow(EndpointRoute? shadow) =>
        shadow is null ? Cells.Text(null) : Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{shadow.Model}:{shadow.Version}"));
}
