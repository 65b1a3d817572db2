namespace OrleansMl.Gateway.Security;

/// <summary>What an API key may do. Each role includes everything the lower ones may.</summary>
public enum GatewayRole
{
    /// <summary>Read datasets, runs, models; call endpoints for predictions.</summary>
    Reader = 0,

    /// <summary>Also import data, run experiments, register models, write artifacts.</summary>
    Scientist = 1,

    /// <summary>Also deploy, delete, and manage the cluster.</summary>
    Admin = 2,
}
