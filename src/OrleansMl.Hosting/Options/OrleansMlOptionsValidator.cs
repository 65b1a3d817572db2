using System.Net;
using Microsoft.Extensions.Options;

namespace OrleansMl.Hosting.Options;

/// <summary>Checks <see cref="OrleansMlOptions"/>; every message names the setting by its configuration key.</summary>
public static class OrleansMlOptionsValidator
{
    private const string Prefix = OrleansMlOptions.SectionName;

    /// <summary>Called by <see cref="OrleansMlOptions.FromConfiguration"/> and by every AddOrleansMl, before anything is registered.</summary>
    /// <exception cref="OptionsValidationException">Lists every invalid setting.</exception>
    public static void ThrowIfInvalid(OrleansMlOptions options)
    {
        var failures = Failures(options).ToList();
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(OrleansMlOptions.SectionName, typeof(OrleansMlOptions), failures);
        }
    }

    private static IEnumerable<string> Failures(OrleansMlOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.DataDirectory) || options.DataDirectory.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            yield return $"{Prefix}:DataDirectory must be a usable directory path (was '{options.DataDirectory}').";
        }

        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            yield return $"{Prefix}:ClusterId must not be empty.";
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            yield return $"{Prefix}:ServiceId must not be empty.";
        }

        foreach (var (key, port) in new[] { ("SiloPort", options.SiloPort), ("GatewayPort", options.GatewayPort) })
        {
            if (port is < 1 or > 65535)
            {
                yield return $"{Prefix}:{key} must be between 1 and 65535 (was {port}).";
            }
        }

        if (options.SiloPort == options.GatewayPort)
        {
            yield return $"{Prefix}:SiloPort and {Prefix}:GatewayPort must differ (both were {options.SiloPort}).";
        }

        if (!IPAddress.TryParse(options.AdvertisedIPAddress, out _))
        {
            yield return $"{Prefix}:AdvertisedIPAddress must be an IP address (was '{options.AdvertisedIPAddress}').";
        }

        if (options.Tls.Enabled && !File.Exists(options.Tls.CertificatePath))
        {
            yield return $"{Prefix}:Tls:CertificatePath: there is no file at '{options.Tls.CertificatePath}'.";
        }

        for (var i = 0; i < options.Tls.AcceptedThumbprints.Count; i++)
        {
            if (options.Tls.AcceptedThumbprints[i] is not { Length: 64 } thumbprint || !thumbprint.All(char.IsAsciiHexDigit))
            {
                yield return $"{Prefix}:Tls:AcceptedThumbprints:{i} must be a certificate's SHA-256 thumbprint, 64 hex digits (was '{options.Tls.AcceptedThumbprints[i]}').";
            }
        }

        if (options.Datasets.MaxPartitionBytes < 1 << 20)
        {
            yield return $"{Prefix}:Datasets:MaxPartitionBytes must be at least 1048576 (1 MiB) (was {options.Datasets.MaxPartitionBytes}).";
        }

        foreach (var failure in options.Serving.Validate().Concat(options.Retention.Validate()).Concat(options.Sql.Validate()))
        {
            yield return failure;
        }

        var storage = options.Storage;
        if (!Enum.IsDefined(storage.Mode))
        {
            yield return $"{Prefix}:Storage:Mode must be Local or AzureStorage (was '{storage.Mode}').";
        }

        if (options.Kubernetes && storage.Mode != StorageMode.AzureStorage)
        {
            yield return $"{Prefix}:Kubernetes needs {Prefix}:Storage:Mode AzureStorage: a pod's local state goes with the pod.";
        }

        if (storage.Mode == StorageMode.AzureStorage)
        {
            if (string.IsNullOrWhiteSpace(storage.ConnectionString) && (storage.BlobServiceUri is null || storage.TableServiceUri is null))
            {
                yield return $"{Prefix}:Storage:ConnectionString, or both {Prefix}:Storage:BlobServiceUri and {Prefix}:Storage:TableServiceUri, must be set when {Prefix}:Storage:Mode is AzureStorage.";
            }

            foreach (var (key, container) in new[] { ("ArtifactContainer", storage.ArtifactContainer), ("GrainStateContainer", storage.GrainStateContainer) })
            {
                if (!IsValidContainerName(container))
                {
                    yield return $"{Prefix}:Storage:{key} must be a valid blob container name: 3-63 lowercase letters, digits and single hyphens (was '{container}').";
                }
            }

            if (string.IsNullOrEmpty(storage.ClusteringTable) || storage.ClusteringTable.Length is < 3 or > 63 || !char.IsAsciiLetter(storage.ClusteringTable[0]) || !storage.ClusteringTable.All(char.IsAsciiLetterOrDigit))
            {
                yield return $"{Prefix}:Storage:ClusteringTable must be a valid table name: 3-63 letters and digits, starting with a letter (was '{storage.ClusteringTable}').";
            }
        }

        foreach (var failure in storage.Resilience.Validate($"{Prefix}:Storage:Resilience"))
        {
            yield return failure;
        }
    }

    private static bool IsValidContainerName(string? name) =>
        name is { Length: >= 3 and <= 63 }
        && (char.IsAsciiLetterLower(name[0]) || char.IsAsciiDigit(name[0]))
        && name[^1] != '-'
        && !name.Contains("--", StringComparison.Ordinal)
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
