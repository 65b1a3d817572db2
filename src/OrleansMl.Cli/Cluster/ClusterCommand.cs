using System.CommandLine;
using OrleansMl.Cli.Output;
using Spectre.Console;

namespace OrleansMl.Cli.Cluster;

/// <summary><c>orleansml cluster</c>: the silos, their load and the dataset partitions they hold.</summary>
public static class ClusterCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("cluster", "The silos of the cluster: status, activations, CPU, memory and the dataset partitions each holds.");
        context.SetAction(command, async run =>
        {
            var cluster = await run.Client.GetClusterAsync(run.CancellationToken);
            if (run.Json)
            {
                run.WriteJson(cluster);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("silo", "host", "status", "started", "activations", "partitions", "cpu", "memory");
            foreach (var silo in cluster.Silos)
            {
                var partitions = silo.GrainTypes?.Where(g => g.Key.StartsWith("PartitionGrain", StringComparison.Ordinal)).Sum(g => g.Value) ?? 0;
                table.AddRow(
                    Markup.Escape(silo.Address), Markup.Escape(silo.HostName), Markup.Escape(silo.Status) + (silo.Overloaded ? " [red]overloaded[/]" : ""),
                    Cells.Time(silo.StartedAt), Cells.Number((long)silo.Activations), Cells.Number((long)partitions),
                    silo.CpuPercent is { } cpu ? $"{Cells.Format(cpu)} %" : Cells.Text(null), Cells.Bytes(silo.MemoryBytes));
            }

            run.Write(table);
            run.WriteLine($"{cluster.Silos.Count} silo(s).");
            return ExitCodes.Ok;
        });
        return command;
    }
}
