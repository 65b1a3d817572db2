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
        var command = new Command("predict", "Ask an endpoint for predictions and print each row's label and scores.") { name, input, rows, json };
        command.Validators.Add(result =>
        {
            if ((result.GetResult(rows) is null) == (result.GetResult(json) is null))
            {
                result.AddError("Give the rows with --row (repeatable) or with --json (exactly one of them).");
            }
        });

        context.SetAction(command, async run =>
        {
            var endpoint = run.Get(name);
            var inputName = run.Get(input) ?? await InputOfAsync(run, endpoint);
            var values = run.Get(rows) is { Length: > 0 } given ? given : ReadJsonRows(run.Get(json)!, inputName);
            var result = await run.Client.Endpoints.PredictAsync(endpoint, inputName, values, run.CancellationToken);
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
