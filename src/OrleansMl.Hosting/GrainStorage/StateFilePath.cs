using System.Security.Cryptography;
using System.Text;

namespace OrleansMl.Hosting.GrainStorage;

/// <summary>Maps a grain's state to a file name that is safe on every file system.</summary>
internal static class StateFilePath
{
    private const int MaxNameLength = 160;

    public static string For(string root, string stateName, GrainId grainId) =>
        Path.Combine(root, Escape(stateName), Escape(grainId.Type.ToString()!), Escape(grainId.Key.ToString()!) + ".state");

    /// <summary>
    /// Keeps [a-z0-9._-] (but no leading '.', so no name is hidden or '..'), writes any other byte of the UTF-8 form as %XX. Names that had to be
    /// shortened, or that hold upper case (which case-insensitive file systems would fold), get
    /// a hash of the original appended so that two keys never share a file.
    /// </summary>
    public static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        var needsHash = false;
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-' || (c == '.' && builder.Length > 0))
            {
                builder.Append(c);
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                builder.Append(char.ToLowerInvariant(c));
                needsHash = true;
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        if (builder.Length > MaxNameLength)
        {
            builder.Length = MaxNameLength;
            needsHash = true;
        }

        if (needsHash)
        {
            builder.Append('~').Append(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, 8)));
        }

        return builder.ToString();
    }
}
