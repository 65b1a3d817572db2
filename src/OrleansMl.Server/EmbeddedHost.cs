using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using OrleansMl.Cli;
using OrleansMl.Silo.Hosting;

namespace OrleansMl.Server;

/// <summary>The embedded platform (one silo, the HTTP API, local storage) built in this process, for <c>start</c> and <c>quickstart</c>.</summary>
internal static class EmbeddedHost
{
    private const string ImportRootsSection = "OrleansMl:Datasets:ImportRoots";

    /// <param name="args">Arguments for the host's configuration (e.g. <c>--OrleansMl:Dashboard=false</c>).</param>
    /// <param name="importRoots">Folders imports may read, added to the configured ones.</param>
    /// <param name="configure">Sets more settings, given the configuration so far.</param>
    public static WebApplication Build(
        IEnumerable<string> args, string urls, string? dataDirectory, int? siloPort, int? gatewayPort, IEnumerable<string> importRoots,
        Action<IConfiguration, Dictionary<string, string?>> configure) =>
        OrleansMlHost.Build([.. args], builder =>
        {
            builder.WebHost.UseUrls(urls);
            var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            Set(settings, "OrleansMl:DataDirectory", dataDirectory);
            Set(settings, "OrleansMl:SiloPort", siloPort?.ToString(CultureInfo.InvariantCulture));
            Set(settings, "OrleansMl:GatewayPort", gatewayPort?.ToString(CultureInfo.InvariantCulture));
            var next = builder.Configuration.GetSection(ImportRootsSection).GetChildren().Count();
            foreach (var root in importRoots.Select(Path.GetFullPath).Distinct())
            {
                settings[$"{ImportRootsSection}:{next++}"] = root;
            }

            configure(builder.Configuration, settings);
            builder.Configuration.AddInMemoryCollection(settings);
        });

    private static void Set(Dictionary<string, string?> settings, string key, string? value)
    {
        if (value is not null)
        {
            settings[key] = value;
        }
    }
}
