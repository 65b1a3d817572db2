using System.CommandLine;
using Spectre.Console;

namespace OrleansMl.Cli.Models;

/// <summary><c>model delete NAME VERSION</c> (admins) and <c>model onnx NAME VERSION</c>: a version removed, or exported to ONNX as the next version.</summary>
public static class ModelVersionCommands
{
    public static Command Delete(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (name, version) = Arguments();
        var command = new Command("delete", "Delete a model version (admins): refused while an alias or an endpoint uses it.") { name, version };
        context.SetAction(command, async run =>
        {
            var model = await run.Client.Models.DeleteVersionAsync(run.Get(name), run.Get(version), run.CancellationToken);
            return run.Done(model, $"Deleted version {run.Get(version)} of {Markup.Escape(run.Get(name))}.");
        });
        return command;
    }

    public static Command Onnx(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (name, version) = Arguments();
        var command = new Command("onnx", "Export a version to ONNX, registered as the model's next version (its preprocessing included where ONNX can carry it).") { name, version };
        context.SetAction(command, async run =>
        {
            var exported = await run.Client.Models.ExportOnnxAsync(run.Get(name), run.Get(version), run.CancellationToken);
            return run.Done(exported, $"Exported version {run.Get(version)} of {Markup.Escape(run.Get(name))} to ONNX as version {exported.Version}.");
        });
        return command;
    }

    private static (Argument<string> Name, Argument<int> Version) Arguments() =>
        (ModelCommands.NameArgument(), new Argument<int>("version") { Description = "The version number." });
}
