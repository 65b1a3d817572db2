namespace OrleansMl.Gateway.Security;

/// <summary>Authorization policy names, one per <see cref="GatewayRole"/>.</summary>
public static class GatewayPolicies
{
    public const string Reader = "reader";
    public const string Scientist = "scientist";
    public const string Admin = "admin";

    public static string For(GatewayRole role) => role switch
    {
        GatewayRole.Admin => Admin,
        GatewayRole.Scientist => Scientist,
        _ => Reader,
    };
}
