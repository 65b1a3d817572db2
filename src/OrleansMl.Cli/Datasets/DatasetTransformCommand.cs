using System.CommandLine;
using System.Text.Json;
using OrleansMl.Cli.Errors;
using OrleansMl.Cli.Output;
using OrleansMl.Client;
using Spectre.Console;

namespace OrleansMl.Cli.Datasets;

/// <summary><c>dataset transform NAME --steps JSON</c>: filter, select, derive, normalize… into the next version.</summary>
public static class DatasetTransformCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = DatasetCommands.NameArgument();
        var steps = new Option<string>("--steps")
        {
            Description = """The steps as JSON (an array, or {"steps": [...]}), or @FILE to read them from a file. See docs/api.md for each op.""",
            Required = true,
        };
        var version = new Option<int?>("--version") { Description = "The version to transform (default: the latest)." };
        var command = new Command("transform", "Apply transform steps to a version and store the result as the next version.") { name, steps, version };
        context.SetAction(command, async run =>
        {
            var dataset = run.Get(name);
            var request = new TransformRequest(ReadSteps(run.Get(steps)!), run.Get(version));
            var operation = await run.Client.Datasets.TransformAsync(dataset, request, ct: run.CancellationToken);
            operation = await OperationProgress.WaitAsync(run, dataset, operation, $"transforming {dataset}");
            if (run.Json)
            {
                run.WriteJson(operation);
                return ExitCodes.Ok;
            }

            run.WriteLine($"[green]Transformed[/] {Markup.Escape(dataset)} into version {operation.Version}: {operation.RowsRead:N0} rows read.");
            run.WriteLine($"[grey]Next: orleansml dataset head {Markup.Escape(dataset)} --version {operation.Version}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The steps from inline JSON or <c>@file</c>.</summary>
    internal static IReadOnlyList<TransformStep> ReadSteps(string value)
    {
        string json;
        if (value.StartsWith('@'))
        {
            var path = value[1..];
            if (!File.Exists(path))
            {
                throw new CliUsageException($"--steps {value}: the file {Path.GetFullPath(path)} does not exist.");
            }

            json = File.ReadAllText(path);
        }
        else
        {
            json = value;
        }

        JsonElement root;
        try
        {
            root = JsonSerializer.Deserialize<JsonElement>(json, JsonOutput.Options);
        }
        catch (JsonException e)
        {
            throw new CliUsageException($"--steps is not valid JSON: {e.Message}");
        }

        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("steps", out var inner))
        {
            root = inner;
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new CliUsageException("""--steps must be a JSON array of steps, e.g. [{"op":"filter","expression":"x > 0"}].""");
        }

        try
        {
            return root.Deserialize<List<TransformStep>>(JsonOutput.Options) ?? [];
        }
        catch (JsonException e)
        {
            throw new CliUsageException($"--steps does not hold transform steps: {e.Message}");
        }
    }
}
