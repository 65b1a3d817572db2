using OrleansMl.Cli.Errors;
using OrleansMl.Client;
using Spectre.Console;

namespace OrleansMl.Cli.Datasets;

/// <summary>Uploads and dataset operations with a live progress bar (none with <c>--output json</c>).</summary>
internal static class OperationProgress
{
    private static readonly TimeSpan PollWait = TimeSpan.FromSeconds(1);

    /// <summary>Streams <paramref name="file"/> to the platform, the bar following the bytes sent.</summary>
    public static async Task<DatasetOperation> UploadAsync(CliInvocation run, string dataset, FileInfo file, UploadOptions options)
    {
        await using var content = file.OpenRead();
        if (!run.LiveProgress)
        {
            return await run.Client.Datasets.UploadAsync(dataset, content, file.Name, options, ct: run.CancellationToken);
        }

        return await NewProgress(run.Output).StartAsync(async progress =>
        {
            var task = progress.AddTask($"uploading {Markup.Escape(file.Name)}", maxValue: Math.Max(1, file.Length));
            await using var counted = new ProgressStream(content, read => task.Value = read);
            var operation = await run.Client.Datasets.UploadAsync(dataset, counted, file.Name, options, ct: run.CancellationToken);
            task.Value = task.MaxValue;
            return operation;
        });
    }

    /// <summary>Waits until the operation is no longer running; a failed one throws <see cref="CommandFailedException"/> with its error.</summary>
    public static async Task<DatasetOperation> WaitAsync(CliInvocation run, string dataset, DatasetOperation operation, string description)
    {
        if (!operation.IsFinished)
        {
            operation = !run.LiveProgress
                ? await run.Client.Datasets.WaitAsync(dataset, operation, ct: run.CancellationToken)
                : await NewProgress(run.Output).StartAsync(async progress =>
                {
                    var task = progress.AddTask(Markup.Escape(description), maxValue: 1);
                    var current = operation;
                    Update(task, current);
                    while (!current.IsFinished)
                    {
                        // A short wait answers at once when the operation ends, else with its progress after a second.
                        current = await run.Client.Datasets.GetOperationAsync(dataset, current.Id, PollWait, run.CancellationToken);
                        Update(task, current);
                    }

                    return current;
                });
        }

        if (operation.State == "failed")
        {
            throw new CommandFailedException(
                $"The {operation.Kind} of {dataset} failed: {operation.Error}",
                operation.Kind == "import"
                    ? "Fix the source (the message names the file, line and column), or pass --bad-records skip to quarantine bad records and go on."
                    : "Fix the request and run it again; `orleansml dataset describe` shows the columns.");
        }

        return operation;
    }

    private static void Update(ProgressTask task, DatasetOperation operation)
    {
        if (operation.TotalBytes is > 0 and var total)
        {
            task.IsIndeterminate = false;
            task.MaxValue = total;
            task.Value = Math.Min(operation.BytesRead, total);
        }
        else
        {
            task.IsIndeterminate = operation.State == "running";
        }

        if (operation.State != "running")
        {
            task.IsIndeterminate = false;
            task.Value = task.MaxValue;
        }
    }

    private static Progress NewProgress(IAnsiConsole console) => console.Progress()
        .AutoClear(false)
        .HideCompleted(false)
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn());
}
