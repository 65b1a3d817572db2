using System.Security.Cryptography;
using System.Text;

namespace OrleansMl.Gateway.Security;

/// <summary>How keys are hashed for configuration and compared.</summary>
public static class ApiKeyHash
{
    /// <summary>The SHA-256 of the key's UTF-8 bytes, as 64 lowercase hex digits.</summary>
    public static string Of(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Compares two hex hashes in time independent of where they differ.</summary>
    public static bool Matches(string presentedHash, string configuredHash) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(presentedHash),
            Encoding.ASCII.GetBytes(configuredHash.ToLowerInvariant()));
}
