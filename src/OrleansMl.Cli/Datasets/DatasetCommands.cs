using System.CommandLine;

namespace OrleansMl.Cli.Datasets;

/// <summary><c>orleansml dataset …</c>: import, list, describe, head, versions, lineage, transform, split, export, score, delete.</summary>
public static class DatasetCommands
{
    public static Command Create(CliContext context) => new("dataset", "Import, inspect, transform and split datasets.")
    {
        DatasetImportCommand.Create(context),
        DatasetListCommand.Create(context),
        DatasetDescribeCommand.Create(context),
        DatasetHeadCommand.Create(context),
        DatasetHeadCommand.CreateSample(context),
        DatasetVersionsCommand.Create(context),
        DatasetLineageCommand.Create(context),
        DatasetTransformCommand.Create(context),
        DatasetSplitCommand.Create(context),
        DatasetExportCommand.Create(context),
        DatasetScoreCommand.Create(context),
        DatasetDeleteCommand.Create(context),
    };

    internal static Argument<string> NameArgument() => new("name") { Description = "The dataset's name." };

    internal static Option<string> VersionOption() => new("--version")
    {
        Description = "A version number, or latest.",
        DefaultValueFactory = _ => "latest",
    };
}
