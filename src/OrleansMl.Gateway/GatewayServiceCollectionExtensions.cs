using Microsoft.AspNetCore.Authorization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansMl.Gateway.Audit;
using OrleansMl.Gateway.Errors;
using OrleansMl.Gateway;
using OrleansMl.Gateway.Options;
using OrleansMl.Gateway.Security;
using OrleansMl.Gateway.Serving;
using OrleansMl.Gateway.Ui;
using OrleansMl.GrainClient;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

/// <summary>Adds the OrleansMl HTTP gateway's services to a web host.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Options (validated at start-up), API-key authentication with role policies, ProblemDetails
    /// for every error, request size limits, health checks, the OpenAPI document, and serving (endpoint
    /// routes, metrics, the prediction log). The host must
    /// also provide an Orleans <c>IGrainFactory</c> and an <c>IArtifactStore</c>.
    /// </summary>
    /// <summary>The default scheme when bearer tokens are on: it forwards each request to the API-key or the token handler.</summary>
    public const string CallerScheme = "OrleansMl";

    public static IHostApplicationBuilder AddOrleansMlGateway(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GatewayOptions>().Bind(builder.Configuration.GetSection(GatewayOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<GatewayOptions>>((kestrel, gateway) => kestrel.Limits.MaxRequestBodySize = gateway.Value.MaxRequestBodyBytes);

        services.AddSingleton<ApiKeyCache>();
        var jwt = builder.Configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>()?.Authentication.Jwt ?? new JwtOptions();
        // "Authorization: Bearer …" goes to the token handler, a key to the API-key handler, the UI's pages to its session cookie (UiAuthentication.Select).
        var authentication = services.AddAuthentication(CallerScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(UiAuthentication.Scheme, UiAuthentication.Configure)
            .AddPolicyScheme(CallerScheme, null, o => o.ForwardDefaultSelector = context => UiAuthentication.Select(context, jwt.Enabled));
        if (jwt.Enabled)
        {
            authentication.AddJwtBearer(JwtRoles.SchemeName, o =>
            {
                o.MapInboundClaims = false;
                o.Authority = string.IsNullOrWhiteSpace(jwt.Authority) ? null : jwt.Authority;
                o.Audience = jwt.Audience;
                o.TokenValidationParameters.ValidIssuer = jwt.Issuer;
                o.TokenValidationParameters.ValidateIssuer = jwt.Issuer is not null || jwt.Authority is not null;
                if (!string.IsNullOrWhiteSpace(jwt.SigningKey))
                {
                    o.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(jwt.SigningKey));
                }

                o.Events = new JwtBearerEvents { OnTokenValidated = context => JwtRoles.OnTokenValidated(context, jwt) };
            });
        }

        // A route mapped without a policy needs the admin role: closed by default, never open by omission.
        // Every policy also keeps keys limited to endpoints on the endpoints' routes.
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireRole(GatewayPolicies.Admin).AddRequirements(EndpointLimitedKeyRequirement.Instance).Build())
            .AddPolicy(GatewayPolicies.Reader, p => p.RequireRole(GatewayPolicies.Reader).AddRequirements(EndpointLimitedKeyRequirement.Instance))
            .AddPolicy(GatewayPolicies.Scientist, p => p.RequireRole(GatewayPolicies.Scientist).AddRequirements(EndpointLimitedKeyRequirement.Instance))
            .AddPolicy(GatewayPolicies.Admin, p => p.RequireRole(GatewayPolicies.Admin).AddRequirements(EndpointLimitedKeyRequirement.Instance));
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ForbiddenAnswer>();

        services.AddProblemDetails(o => o.CustomizeProblemDetails = c => c.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? c.HttpContext.TraceIdentifier);
        services.AddExceptionHandler<GatewayExceptionHandler>();
        // Binding failures reach GatewayExceptionHandler in every environment, so the 400 names the field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.AddOrleansMlHealthChecks();
        services.AddOrleansMlGrainClient();
        services.AddOptions<EndpointRoutingOptions>().Configure<IOptions<GatewayOptions>>((routing, gateway) => routing.CacheSeconds = gateway.Value.EndpointCacheSeconds);
        services.AddSingleton<EndpointTraffic>();
        services.AddSingleton<ServingMetrics>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AuditLog>();
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "OrleansMl API";
            document.Info.Version = typeof(GatewayServiceCollectionExtensions).Assembly.GetName().Version?.ToString(3) ?? "1";
            document.Info.Description = "Datasets, SQL, experiments and runs, the model registry, endpoints and predictions. Guide: docs/api.md; interactive reference: /api.";

            // The API-key scheme, so that generated clients and API explorers send the key.
            document.Components ??= new Microsoft.OpenApi.OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, Microsoft.OpenApi.IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new Microsoft.OpenApi.OpenApiSecurityScheme
            {
                Type = Microsoft.OpenApi.SecuritySchemeType.ApiKey,
                In = Microsoft.OpenApi.ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.HeaderName,
                Description = "An API key: its role (reader, scientist, admin) decides what it may call.",
            };
            document.Security ??= [];
            document.Security.Add(new Microsoft.OpenApi.OpenApiSecurityRequirement { [new Microsoft.OpenApi.OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, document)] = [] });
            return Task.CompletedTask;
        }));
        services.AddRazorComponents();
        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();
        services.AddScoped<UiApi>();
        Microsoft.AspNetCore.DataProtection.DataProtectionBuilderExtensions.SetApplicationName(services.AddDataProtection(), "OrleansMl");
        services.AddSingleton<IConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>>(sp =>
            new ConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(o => o.XmlRepository = new UiKeyRing(sp.GetRequiredService<OrleansMl.Storage.Artifacts.IArtifactStore>())));
        services.AddHostedService<AuthenticationWarning>();
        return builder;
    }
}
