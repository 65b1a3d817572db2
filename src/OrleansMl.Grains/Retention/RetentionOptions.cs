namespace OrleansMl.Retention;

/// <summary>The <c>OrleansMl:Retention</c> section: how long the platform keeps what grows every day. 0 keeps forever.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "OrleansMl:Retention";

    /// <summary>Days of sampled requests and shadow predictions kept (<c>endpoints/{name}/predictions/{day}/</c>). Default 30.</summary>
    public int PredictionLogDays { get; set; } = 30;

    /// <summary>Days of audit entries kept. Default 400 (more than a year, for yearly reviews).</summary>
    public int AuditDays { get; set; } = 400;

    /// <summary>Days after a run finished that its per-step metric history is kept; its final metrics stay. Default 0: forever.</summary>
    public int MetricHistoryDays { get; set; }

    /// <summary>
    /// Hours after its last file was written that a dataset version folder no state lists is deleted:
    /// the parts a partition grain wrote for an operation whose dataset grain died and cleaned up
    /// before them. Default 24 (far longer than any operation writes one version); 0 never.
    /// </summary>
    public int OrphanHours { get; set; } = 24;

    /// <summary>Hours the rows a SQL query kept for paging (<c>sql-results/{id}/</c>) stay readable after they were written. Default 24; 0 forever.</summary>
    public int SqlResultHours { get; set; } = 24;

    /// <summary>How often each silo asks for a sweep (the cluster sweeps at most this often). Default 6 hours.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>The problems of these settings, each naming its setting; empty when they are valid.</summary>
    public IEnumerable<string> Validate()
    {
        foreach (var (key, days) in new[] { (nameof(PredictionLogDays), PredictionLogDays), (nameof(AuditDays), AuditDays), (nameof(MetricHistoryDays), MetricHistoryDays), (nameof(OrphanHours), OrphanHours), (nameof(SqlResultHours), SqlResultHours) })
        {
            if (days < 0)
            {
                yield return $"{SectionName}:{key} must be 0 (keep forever) or a positive number (got {days}).";
            }
        }

        if (SweepInterval < TimeSpan.FromMinutes(1))
        {
            yield return $"{SectionName}:SweepInterval must be at least a minute (got {SweepInterval}).";
        }
    }
}
