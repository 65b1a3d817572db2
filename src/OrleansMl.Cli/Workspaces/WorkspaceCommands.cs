using System.CommandLine;
using System.Globalization;
using OrleansMl.Cli.Errors;
using OrleansMl.Client;
using Spectre.Console;

namespace OrleansMl.Cli.Workspaces;

/// <summary><c>orleansml workspace get|set|delete</c>: named groupings with a description and tags.</summary>
public static class WorkspaceCommands
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Command("workspace", "Workspaces: a name with a description and tags.")
        {
            Get(context),
            Set(context),
            Delete(context),
        };
    }

    private static Argument<string> Name() => new("name") { Description = "The workspace's name." };

    private static Command Get(CliContext context)
    {
        var name = Name();
        var command = new Command("get", "A workspace: description, tags, revision.") { name };
        context.SetAction(command, async run =>
        {
            var workspace = await run.Client.Workspaces.GetAsync(run.Get(name), run.CancellationToken);
            return Show(run, workspace);
        });
        return command;
    }

    private static Command Set(CliContext context)
    {
        var name = Name();
        var description = new Option<string>("--description") { Description = "What the workspace is for." };
        var tags = new Option<string[]>("--tag") { Description = "A tag as key=value (repeat for more).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("set", "Create a workspace, or replace its description and tags (scientists).") { name, description, tags };
        context.SetAction(command, async run =>
        {
            var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var tag in run.Get(tags) ?? [])
            {
                var equals = tag.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new CliUsageException($"--tag takes key=value (was '{tag}').");
                }

                parsed[tag[..equals]] = tag[(equals + 1)..];
            }

            var workspace = await run.Client.Workspaces.SetAsync(run.Get(name), run.Get(description), parsed, run.CancellationToken);
            return Show(run, workspace);
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var name = Name();
        var command = new Command("delete", "Delete a workspace (admins).") { name };
        context.SetAction(command, async run =>
        {
            await run.Client.Workspaces.DeleteAsync(run.Get(name), run.CancellationToken);
            return run.Done(new { deleted = run.Get(name) }, $"Deleted workspace {Markup.Escape(run.Get(name))}.");
        });
        return command;
    }

    private static int Show(CliInvocation run, WorkspaceInfo workspace)
    {
        var tags = string.Join(", ", workspace.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));
        return run.Done(workspace,
            $"[bold]{Markup.Escape(workspace.Name)}[/] (revision {workspace.Revision.ToString(CultureInfo.InvariantCulture)}, updated {workspace.UpdatedAt:u}): "
            + $"{Markup.Escape(workspace.Description)}{(tags.Length > 0 ? " [[" + Markup.Escape(tags) + "]]" : "")}");
    }
}
