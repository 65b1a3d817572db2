using Microsoft.Extensions.Options;

namespace OrleansMl.Gateway.Options;

/// <summary>Checks <see cref="GatewayOptions"/>; every message names the setting by its configuration key.</summary>
public sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    private const string Prefix = GatewayOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();
        if (options.MaxRequestBodyBytes < 1024)
        {
            failures.Add($"{Prefix}:MaxRequestBodyBytes must be at least 1024 (was {options.MaxRequestBodyBytes}).");
        }

        if (options.MaxDatasetUploadBytes < 1024)
        {
            failures.Add($"{Prefix}:MaxDatasetUploadBytes must be at least 1024 (was {options.MaxDatasetUploadBytes}).");
        }

        if (options.MaxArtifactUploadBytes < 1024)
        {
            failures.Add($"{Prefix}:MaxArtifactUploadBytes must be at least 1024 (was {options.MaxArtifactUploadBytes}).");
        }

        if (!(options.EndpointCacheSeconds is >= 0 and <= 3600))
        {
            failures.Add($"{Prefix}:EndpointCacheSeconds must be from 0 to 3600 (was {options.EndpointCacheSeconds}).");
        }

        var keys = options.Authentication.ApiKeys;
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            var at = $"{Prefix}:Authentication:ApiKeys:{i}";
            if (string.IsNullOrWhiteSpace(key.Name))
            {
                failures.Add($"{at}:Name must not be empty.");
            }

            if (key.Sha256 is not { Length: 64 } || !key.Sha256.All(char.IsAsciiHexDigit))
            {
                failures.Add($"{at}:Sha256 must be the key's SHA-256 as 64 hex digits (run 'dotnet OrleansMl.Silo.dll hash-key <key>').");
            }

            if (!Enum.IsDefined(key.Role))
            {
                failures.Add($"{at}:Role must be Reader, Scientist or Admin (was '{key.Role}').");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
