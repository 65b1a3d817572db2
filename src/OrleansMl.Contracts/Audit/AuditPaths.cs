namespace OrleansMl.Audit;

/// <summary>Where the audit log lives in the artifact store: <c>audit/{yyyy-MM-dd}/{HHmmssfffffff}-{id}.json</c>.</summary>
public static class AuditPaths
{
    public const string Folder = "audit/";
}
