namespace OrleansMl.Storage.Artifacts;

/// <summary>
/// The rules every store applies to paths, so that a path means the same thing on the local file
/// system and in blob storage: relative, '/'-separated, no empty, '.' or '..' segments, no
/// backslash or control characters, at most <see cref="MaxLength"/> characters.
/// </summary>
public static class ArtifactPath
{
    public const int MaxLength = 1024;

    /// <summary>Returns <paramref name="path"/> unchanged when it is valid.</summary>
    /// <exception cref="ArgumentException">The path breaks a rule; the message says which.</exception>
    public static string Validate(string path) => Check(path, nameof(path));

    /// <summary>Like <see cref="Validate"/>, but "" (everything) and a trailing '/' are allowed.</summary>
    public static string ValidatePrefix(string prefix)
    {
        if (prefix.Length == 0)
        {
            return prefix;
        }

        var body = prefix.EndsWith('/') ? prefix[..^1] : prefix;
        Check(body, nameof(prefix));
        return prefix;
    }

    private static string Check(string path, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(path, parameterName);
        if (path.Length == 0)
        {
            throw new ArgumentException("An artifact path must not be empty.", parameterName);
        }

        if (path.Length > MaxLength)
        {
            throw new ArgumentException($"The artifact path is {path.Length} characters long; at most {MaxLength} are allowed.", parameterName);
        }

        if (path[0] == '/')
        {
            throw new ArgumentException($"The artifact path '{path}' must be relative (no leading '/').", parameterName);
        }

        var segmentStart = 0;
        for (var i = 0; i <= path.Length; i++)
        {
            if (i < path.Length && path[i] != '/')
            {
                if (path[i] == '\\' || char.IsControl(path[i]))
                {
                    throw new ArgumentException($"The artifact path '{path}' has a backslash or control character at position {i}.", parameterName);
                }

                continue;
            }

            var segment = path.AsSpan(segmentStart, i - segmentStart);
            if (segment.IsEmpty || segment is "." or "..")
            {
                throw new ArgumentException($"The artifact path '{path}' has an empty, '.' or '..' segment at position {segmentStart}.", parameterName);
            }

            segmentStart = i + 1;
        }

        return path;
    }
}
