using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using OrleansMl.Cli.Errors;
using OrleansMl.Cli.Output;
using OrleansMl.Client;
using Spectre.Console;

namespace OrleansMl.Cli.Endpoints;

/// <summary><c>endpoint predict NAME (--row 1,2,3 … | --json @file)</c>: labels and scores per row.</summary>
public static class EndpointPredictCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = EndpointCommands.NameArgument();
        var input = new Option<string>("--input") { Description = "The endpoint's input (default: the one its models take)." };
        var rows = new Option<float[][]>("--row")
        {
            Description = "One row's feature values, comma-separated (repeat for more rows).",
            Arity = ArgumentArity.OneOrMore,
            CustomParser = result =>
            {
                var parsed = new List<float[]>();
                foreach (var token in result.Tokens)
                {
                    if (ParseRow(token.Value) is { } row)
                    {
                        parsed.Add(row);
                    }
                    else
                    {
                        result.AddError($"--row '{token.Value}' is not a comma-separated list of numbers.");
                    }
                }

                return [.. parsed];
            },
        };
        var json = new Option<string>("--json")
        {
            Description = """The rows as JSON, or @FILE: {"records":[{"INPUT":[…]}, …]} or [[…], …].""",
        };
        var image = new Option<FileInfo>("--image")
        {
            Description = "An image file (.png, .jpg, .jpeg, .bmp, .gif) for an endpoint whose models take images: decoded by the server as their import was.",
        };
        var command = new Command("predict", "Ask an endpoint for predictions and print each row's label and scores.") { name, input, rows, json, image };
        command.Validators.Add(result =>
        {
            if (new[] { result.GetResult(rows), result.GetResult(json), result.GetResult(image) }.Count(r => r is not null) != 1)
            {
                result.AddError("Give the rows with --row (repeatable) or --json, or an image with --image (exactly one of them).");
            }
        });

        context.SetAction(command, async run =>
        {
            var endpoint = run.Get(name);
            PredictionResult result;
            if (run.Get(image) is { } file)
            {
                await using var content = OpenImage(file, out var contentType);
                result = await run.Client.Endpoints.PredictImageAsync(endpoint, content, contentType, run.CancellationToken);
            }
            else
            {
                var inputName = run.Get(input) ?? await InputOfAsync(run, endpoint);
                var values = run.Get(rows) is { Length: > 0 } given ? given : ReadJsonRows(run.Get(json)!, inputName);
                result = await run.Client.Endpoints.PredictAsync(endpoint, inputName, values, run.CancellationToken);
            }

            if (run.Json)
            {
                run.WriteJson(result);
                return ExitCodes.Ok;
            }

            run.Write(Table(result));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The image file, and its content type from its extension.</summary>
    private static FileStream OpenImage(FileInfo file, out string contentType)
    {
        contentType = file.Extension.ToLowerInvariant() switch
        {
            ".png" => "image/png",
            ".jpg" or ".jpeg" => "image/jpeg",
            ".bmp" => "image/bmp",
            ".gif" => "image/gif",
            _ => throw new CommandFailedException($"--image '{file.Name}' is not a .png, .jpg, .jpeg, .bmp or .gif file.", "Convert it to one of those.", ExitCodes.Usage),
        };
        return file.Exists
            ? file.OpenRead()
            : throw new CommandFailedException($"--image '{file.FullName}' does not exist.", "Give the path of an image file on this machine.", ExitCodes.Usage);
    }

    private static async Task<string> InputOfAsync(CliInvocation run, string endpoint)
    {
        var info = await run.Client.Endpoints.GetAsync(endpoint, run.CancellationToken);
        return info.Inputs.Count > 0
            ? info.Inputs[0].Name
            : throw new CommandFailedException($"Endpoint {endpoint} does not say what input it takes.", "Name it with --input.");
    }

    private static float[]? ParseRow(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var row = new float[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out row[i]))
            {
                return null;
            }
        }

        return row;
    }

    /// <summary>Rows from <c>{"records":[{input:[…]}]}</c> or <c>[[…]]</c>, inline or from <c>@file</c>.</summary>
    internal static float[][] ReadJsonRows(string value, string input)
    {
        var text = value.StartsWith('@')
            ? File.Exists(value[1..]) ? File.ReadAllText(value[1..]) : throw new CliUsageException($"--json {value}: the file {Path.GetFullPath(value[1..])} does not exist.")
            : value;
        try
        {
            var root = JsonSerializer.Deserialize<JsonElement>(text, JsonOutput.Options);
            var records = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("records", out var inner) ? inner : root;
            if (records.ValueKind != JsonValueKind.Array)
            {
                throw new CliUsageException("""--json must hold {"records":[…]} or an array of rows.""");
            }

            return [.. records.EnumerateArray().Select((record, i) =>
            {
                var row = record.ValueKind == JsonValueKind.Object
                    ? record.TryGetProperty(input, out var features) ? features : throw new CliUsageException($"--json: records[{i}] has no '{input}'.")
                    : record;
                return row.Deserialize<float[]>(JsonOutput.Options) ?? [];
            })];
        }
        catch (JsonException e)
        {
            throw new CliUsageException($"--json does not hold rows of numbers: {e.Message}");
        }
    }

    private static Table Table(PredictionResult result)
    {
        var classes = result.Predictions.Select(p => p.Scores?.Length ?? 0).DefaultIfEmpty(0).Max();
        var regression = result.Predictions.Any(p => p.Prediction is not null);
        var table = new Table().AddColumn("row").Title($"{Markup.Escape(result.Model)} version {result.Version}");
        if (regression)
        {
            table.AddColumn(new TableColumn("prediction").RightAligned());
        }
        else
        {
            table.AddColumn(new TableColumn("label").RightAligned());
            table.AddColumn(new TableColumn(classes == 1 ? "p(1)" : "scores"));
        }

        for (var i = 0; i < result.Predictions.Count; i++)
        {
            var prediction = result.Predictions[i];
            var index = i.ToString(CultureInfo.InvariantCulture);
            if (regression)
            {
                table.AddRow(index, Cells.Number(prediction.Prediction));
            }
            else
            {
                table.AddRow(
                    index,
                    prediction.LabelText is { } label ? Markup.Escape(label) : Cells.Text(null),
                    prediction.Scores is { } scores ? Markup.Escape(string.Join(' ', scores.Select(s => Cells.Format(s)))) : Cells.Text(null));
            }
        }

        return table;
    }
}
