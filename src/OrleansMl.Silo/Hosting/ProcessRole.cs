namespace OrleansMl.Silo.Hosting;

/// <summary>What one OrleansMl process does (<c>--role</c>, or <c>OrleansMl:Role</c>).</summary>
public enum ProcessRole
{
    /// <summary>The default: a silo and the HTTP gateway in one process.</summary>
    Embedded,

    /// <summary>A silo only; its HTTP port serves health probes.</summary>
    Silo,

    /// <summary>The HTTP gateway only, as an Orleans client of the cluster.</summary>
    Gateway,
}
