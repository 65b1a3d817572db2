using System.Globalization;
using OrleansMl.Cli.Output;
using OrleansMl.Client;
using Spectre.Console;

namespace OrleansMl.Cli.Models;

/// <summary>How model versions and alias moves look in a table.</summary>
internal static class ModelView
{
    public static Table Versions(ModelInfo model)
    {
        var table = new Table().AddColumns("version", "flavor", "aliases", "from", "inputs", "metrics", "created", "by");
        foreach (var version in model.Versions.OrderBy(v => v.Version))
        {
            var aliases = model.Aliases.Where(a => a.Value == version.Version).Select(a => a.Key).Order(StringComparer.Ordinal);
            table.AddRow(
                version.Version.ToString(CultureInfo.InvariantCulture),
                Cells.Text(version.Flavor),
                Markup.Escape(string.Join(' ', aliases)),
                Cells.Text(Lineage(version.Lineage)),
                Markup.Escape(string.Join(' ', version.Inputs.Select(Signature))),
                Cells.Pairs(version.Metrics, Cells.Format),
                Cells.Time(version.CreatedAt),
                Cells.Text(version.CreatedBy));
        }

        return table;
    }

    public static Table History(ModelInfo model)
    {
        var table = new Table().AddColumns("alias", "from", "to", "at", "by");
        foreach (var change in model.History)
        {
            table.AddRow(
                Cells.Text(change.Alias),
                change.From is { } from ? from.ToString(CultureInfo.InvariantCulture) : Cells.Text(null),
                change.To is { } to ? to.ToString(CultureInfo.InvariantCulture) : "[grey]removed[/]",
                Cells.Time(change.At),
                Cells.Text(change.By));
        }

        return table;
    }

    public static string Aliases(ModelInfo model) =>
        Markup.Escape(string.Join(' ', model.Aliases.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}→{a.Value}")));

    private static string? Lineage(ModelLineage? lineage) => lineage switch
    {
        { Experiment: { } experiment, Run: { } run } => $"{experiment}/{run}",
        { ExportedFrom: { } source } => $"export of {source}",
        _ => null,
    };

    private static string Signature(DatasetColumn column) =>
        column.VectorLength > 0 ? $"{column.Name}[{column.VectorLength}]" : $"{column.Name}:{column.Type}";
}
