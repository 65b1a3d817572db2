using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OrleansMl.Gateway.Tests;

/// <summary>Bearer tokens the test platform accepts: signed with its symmetric key, for its audience and issuer.</summary>
internal static class TestTokens
{
    public const string Audience = "api://orleansml-tests";
    public const string Issuer = "https://issuer.orleansml.test/";
    public static readonly string SigningKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray());

    public static string Create(string user, string[] roles, string? audience = null, string? key = null, DateTime? expires = null)
    {
        var claims = new Dictionary<string, object> { ["preferred_username"] = user, ["sub"] = Guid.NewGuid().ToString("N") };
        if (roles.Length > 0)
        {
            claims["roles"] = roles;
        }

        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience ?? Audience,
            Claims = claims,
            IssuedAt = (expires ?? now.AddMinutes(10)).AddMinutes(-20),
            NotBefore = (expires ?? now.AddMinutes(10)).AddMinutes(-20),
            Expires = expires ?? now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(key ?? SigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }

    public static HttpClient Client(HttpClient like, string token)
    {
        var client = new HttpClient { BaseAddress = like.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }
}
