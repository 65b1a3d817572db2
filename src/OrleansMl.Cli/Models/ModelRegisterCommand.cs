using System.CommandLine;
using OrleansMl.Client;
using Spectre.Console;

namespace OrleansMl.Cli.Models;

/// <summary><c>model register NAME (--experiment E --run N | --artifact PATH --flavor F)</c>: the next version of a model.</summary>
public static class ModelRegisterCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = ModelCommands.NameArgument();
        var experiment = new Option<string>("--experiment") { Description = "The experiment of a succeeded run." };
        var run = new Option<int?>("--run") { Description = "The run's index (default: the experiment's best run)." };
        var artifact = new Option<string>("--artifact") { Description = "A model file in the artifact store: an ML.NET .zip or an ONNX file." };
        var flavor = new Option<string>("--flavor") { Description = "The artifact's flavor: mlnet or onnx." };
        flavor.AcceptOnlyFromAmong("mlnet", "onnx");
        var command = new Command("register", "Register a run's model or a stored artifact as the model's next version.") { name, experiment, run, artifact, flavor };
        command.Validators.Add(result =>
        {
            var fromRun = result.GetResult(experiment) is not null;
            var fromArtifact = result.GetResult(artifact) is not null;
            if (fromRun == fromArtifact)
            {
                result.AddError("Give either --experiment (with --run) or --artifact (with --flavor).");
            }
            else if (fromArtifact && result.GetResult(flavor) is null)
            {
                result.AddError("--artifact needs --flavor mlnet or onnx.");
            }
            else if (fromArtifact && result.GetResult(run) is not null)
            {
                result.AddError("--run goes with --experiment, not --artifact.");
            }
        });

        context.SetAction(command, async invocation =>
        {
            var model = invocation.Get(name);
            ModelSource source;
            if (invocation.Get(experiment) is { } experimentName)
            {
                var index = invocation.Get(run) ?? await BestRunAsync(invocation, experimentName);
                source = ModelSource.FromRun(experimentName, index);
            }
            else
            {
                source = ModelSource.FromArtifact(invocation.Get(artifact)!, invocation.Get(flavor)!);
            }

            var version = await invocation.Client.Models.RegisterAsync(model, source, invocation.CancellationToken);
            if (invocation.Json)
            {
                invocation.WriteJson(version);
                return ExitCodes.Ok;
            }

            invocation.WriteLine($"[green]Registered[/] {Markup.Escape(model)} version {version.Version} ({Markup.Escape(version.Flavor)}).");
            invocation.WriteLine($"[grey]Next: orleansml model alias {Markup.Escape(model)} production {version.Version}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<int> BestRunAsync(CliInvocation invocation, string experiment)
    {
        var info = await invocation.Client.Experiments.GetAsync(experiment, ct: invocation.CancellationToken);
        return info.Best?.Index
            ?? throw new Errors.CommandFailedException(
                $"Experiment {experiment} has no succeeded run to register yet ({info.State}).",
                $"Wait for it with `orleansml experiment watch {experiment}`, or name a run with --run.");
    }
}
