namespace OrleansMl.Silo.Hosting;

/// <summary>
/// Defaults that depend on where the process runs, applied only to settings no source gave. On a machine:
/// HTTP on http://localhost:5080. In a container (<c>OrleansMl:Container=true</c>, or DOTNET_RUNNING_IN_CONTAINER
/// as the .NET base images set): HTTP on every interface at 8080 (or the image's ASPNETCORE_HTTP_PORTS), logs as
/// JSON lines on stdout with UTC timestamps, and the host's own address advertised to the other silos.
/// </summary>
public static class HostDefaults
{
    private const string MachineUrls = "http://localhost:5080";

    private const string ContainerUrls = "http://+:8080";

    private static bool IsContainer(IConfiguration configuration) =>
        configuration.GetValue<bool>("OrleansMl:Container")
        || string.Equals(Environment.GetEnvironmentVariable("DOTNET_RUNNING_IN_CONTAINER"), "true", StringComparison.OrdinalIgnoreCase);

    public static void Apply(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var container = IsContainer(configuration);
        var defaults = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (new[] { "urls", "http_ports", "https_ports" }.All(key => string.IsNullOrEmpty(configuration[key])))
        {
            defaults["urls"] = container ? ContainerUrls : MachineUrls;
        }

        if (container)
        {
            defaults["Logging:Console:FormatterName"] = "json";
            defaults["Logging:Console:FormatterOptions:TimestampFormat"] = "yyyy-MM-ddTHH:mm:ss.fffZ";
            defaults["Logging:Console:FormatterOptions:UseUtcTimestamp"] = "true";
            defaults["OrleansMl:AdvertisedIPAddress"] = OrleansMl.Hosting.Options.HostAddress.Keyword;
        }

        foreach (var key in defaults.Keys.Where(key => configuration[key] is not null).ToList())
        {
            defaults.Remove(key);
        }

        configuration.AddInMemoryCollection(defaults);
    }
}
