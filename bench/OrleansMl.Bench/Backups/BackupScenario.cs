using System.Diagnostics;
using OrleansMl.Backups;
using OrleansMl.Bench.Measurement;
using OrleansMl.Datasets;

namespace OrleansMl.Bench.Backups;

/// <summary>
/// A backup of the embedded platform (four datasets of the generated CSV in 16 partitions each, and
/// whatever else earlier scenarios left in the store) to a server folder, against <c>cp -r</c> of the
/// same artifact folder followed by <c>sync</c>: what an operator would do with the platform stopped,
/// made as durable as the backup, which flushes every file it writes.
/// </summary>
internal static class BackupScenario
{
    public static async Task<BenchResult[]> RunAsync(IGrainFactory grains, string dataDirectory, BenchSettings settings)
    {
        var csv = Path.Combine(Path.GetTempPath(), $"orleansml-bench-{settings.CsvRows}.csv");
        if (!File.Exists(csv))
        {
            Datasets.PlainLoaders.WriteCsv(csv, settings.CsvRows);
        }

        for (var i = 0; i < 4; i++)
        {
            var dataset = grains.GetGrain<IDatasetGrain>($"bench-backup-{i}-{Guid.NewGuid():N}");
            var import = await dataset.WaitUntilFinishedAsync((await dataset.StartImportAsync(new ImportRequest(new DatasetSource(csv), Options: new ImportOptions(Partitions: 16)))).Id, TimeSpan.FromMinutes(10));
            if (import?.State != DatasetOperation.Succeeded)
            {
                throw new InvalidOperationException($"The import for the backup scenario ended {import?.State}: {import?.Error}");
            }
        }

        var artifacts = Path.Combine(dataDirectory, "artifacts");
        var backups = Path.Combine(dataDirectory, "backups");
        var copies = Directory.CreateTempSubdirectory("orleansml-bench-cp-").FullName;
        var backup = grains.GetGrain<IBackupGrain>(IBackupGrain.Key);
        var platform = new double[settings.Repetitions];
        var reference = new double[settings.Repetitions];
        BackupJob? job = null;
        try
        {
            for (var rep = -1; rep < settings.Repetitions; rep++)
            {
                var target = Path.Combine(backups, $"bench-{rep + 1}");
                var watch = Stopwatch.StartNew();
                job = await backup.StartBackupAsync(new BackupLocation(target), "bench");
                while (job is { Status: BackupJob.Running })
                {
                    job = await backup.GetAsync(job.Id, IBackupGrain.MaxWait);
                }

                var backupSeconds = watch.Elapsed.TotalSeconds;
                if (job?.Status != BackupJob.Succeeded)
                {
                    throw new InvalidOperationException($"The backup ended {job?.Status}: {job?.Error}");
                }

                var copy = Path.Combine(copies, $"{rep + 1}");
                watch.Restart();
                using (var cp = Process.Start("sh", ["-c", "cp -r \"$0\" \"$1\" && sync", artifacts, copy]))
                {
                    await cp.WaitForExitAsync();
                }

                var copySeconds = watch.Elapsed.TotalSeconds;
                var copiedBytes = Directory.EnumerateFiles(copy, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
                Directory.Delete(target, recursive: true);
                Directory.Delete(copy, recursive: true);
                if (rep >= 0)
                {
                    platform[rep] = job.Bytes / (1024.0 * 1024.0) / backupSeconds;
                    reference[rep] = copiedBytes / (1024.0 * 1024.0) / copySeconds;
                }
            }
        }
        finally
        {
            Directory.Delete(copies, recursive: true);
        }

        return [BenchResult.FromSamples("Backup to a server folder (platform running)", "cp -r of the artifact folder, then sync", "MiB/s", true, platform, reference,
            $"{job!.Files:N0} files, {job.Bytes / (1024.0 * 1024.0):F1} MiB and {job.Resources} resources' state")];
    }
}
