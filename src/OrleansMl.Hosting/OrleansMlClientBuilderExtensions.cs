using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using OrleansMl.Hosting.Azure;
using OrleansMl.Hosting.Options;
using OrleansMl.Hosting.Security;

namespace Orleans.Hosting;

/// <summary>Connects an Orleans client (the separate gateway process) to an OrleansMl cluster.</summary>
public static class OrleansMlClientBuilderExtensions
{
    /// <summary>Finds the cluster the way its silos were configured: localhost, or the Azure Table membership.</summary>
    public static IClientBuilder AddOrleansMl(this IClientBuilder builder, IConfiguration configuration)
    {
        var options = OrleansMlOptions.FromConfiguration(configuration);
        if (options.Storage.Mode == StorageMode.Local)
        {
            builder.UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId);
        }
        else
        {
            builder.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            builder.UseAzureStorageClustering(o =>
            {
                o.TableServiceClient = AzureStorageClients.CreateTableServiceClient(options.Storage);
                o.TableName = options.Storage.ClusteringTable;
            });
        }

        if (options.Tls.Enabled)
        {
            var certificate = ClusterTls.Load(options.Tls);
            builder.UseTls(certificate, tls => ClusterTls.Configure(tls, certificate, options.Tls.AcceptedThumbprints));
        }

        // A gateway may start before any silo (orchestrators start containers in no set order): it keeps trying, and
        // answers /health/ready only once connected, instead of exiting.
        builder.UseConnectionRetryFilter(async (_, cancellationToken) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            return !cancellationToken.IsCancellationRequested;
        });
        builder.Services.AddOrleansMlServices(options);
        return builder;
    }
}
