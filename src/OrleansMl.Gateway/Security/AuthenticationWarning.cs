using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansMl.Gateway.Options;

namespace OrleansMl.Gateway.Security;

/// <summary>Says loudly at start-up when authentication is off, or on with no key that could pass it.</summary>
internal sealed partial class AuthenticationWarning(IOptions<GatewayOptions> options, ILogger<AuthenticationWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var authentication = options.Value.Authentication;
        if (!authentication.Enabled)
        {
            LogDisabled(logger);
        }
        else if (authentication.ApiKeys.Count == 0)
        {
            LogNoKeys(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "API authentication is DISABLED (OrleansMl:Gateway:Authentication:Enabled=false): every caller acts as admin. Use this for local development only.")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "API authentication is on but no keys are configured (OrleansMl:Gateway:Authentication:ApiKeys): every API call will be refused with 401.")]
    private static partial void LogNoKeys(ILogger logger);
}
