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

        var jwt = options.Authentication.Jwt;
        var jwtAt = $"{Prefix}:Authentication:Jwt";
        if (jwt.Enabled && string.IsNullOrWhiteSpace(jwt.Authority) == string.IsNullOrWhiteSpace(jwt.SigningKey))
        {
            failures.Add($"{jwtAt}: set Authority (an OpenID Connect issuer) or SigningKey (a base64 symmetric key), exactly one.");
        }

        if (jwt.Enabled && !string.IsNullOrWhiteSpace(jwt.SigningKey) && (!IsBase64(jwt.SigningKey, out var keyBytes) || keyBytes < 32))
        {
            failures.Add($"{jwtAt}:SigningKey must be base64 of at least 32 bytes.");
        }

        if (jwt.Enabled && !string.IsNullOrWhiteSpace(jwt.SigningKey) && string.IsNullOrWhiteSpace(jwt.Issuer))
        {
            failures.Add($"{jwtAt}:Issuer must be set with SigningKey (tokens are checked against it).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsBase64(string text, out int bytes)
    {
        return Convert.TryFromBase64String(text, new byte[text.Length], out bytes);
    }
}
