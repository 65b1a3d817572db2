using OrleansMl.Gateway.Audit;
using OrleansMl.Storage.FileSystem;

namespace OrleansMl.Gateway.Tests.Audit;

public sealed class AuditLogTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("orleansml-audit-").FullName;

    [Fact]
    public async Task AFloodOfRefusalsIsCappedPerMinuteAndTheRestCounted()
    {
        var log = new AuditLog(new FileSystemArtifactStore(_root), TimeProvider.System);
        var minute = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < AuditLog.RefusalsPerMinute + 40; i++)
        {
            await log.AppendAsync(Refusal(minute.AddMilliseconds(i)));
        }

        await log.AppendAsync(new AuditEntry(minute.AddSeconds(30), "admin", "DeleteDataset", "DELETE", "/v1/datasets/x", 204, "t", null)); // changes are never capped
        await log.AppendAsync(Refusal(minute.AddMinutes(1)));

        var entries = new List<AuditEntry>();
        await foreach (var entry in log.ReadAsync(minute, minute.AddMinutes(2), _ => true))
        {
            entries.Add(entry);
        }

        Assert.Equal(AuditLog.RefusalsPerMinute, entries.Count(e => e.At < minute.AddMinutes(1) && e.Status == 401));
        Assert.Single(entries, e => e.Status == 204);
        Assert.Equal(40, Assert.Single(entries, e => e.Suppressed > 0).Suppressed);
        Assert.Single(entries, e => e.At == minute.AddMinutes(1) && e.Suppressed == 0);
        Assert.Equal(entries.OrderBy(e => e.At).Select(e => e.At), entries.Select(e => e.At)); // in time order
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static AuditEntry Refusal(DateTimeOffset at) => new(at, "anonymous", "ListDatasets", "GET", "/v1/datasets", 401, "t", "10.0.0.1");
}
