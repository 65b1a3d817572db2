namespace OrleansMl.Workspaces;

/// <summary>Checks a <see cref="WorkspaceUpdate"/> against its limits; messages name the offending field.</summary>
public static class WorkspaceValidation
{
    /// <summary>A workspace name: 1-64 characters of letters, digits, '-', '_' and '.', starting with a letter or digit.</summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64 || !char.IsAsciiLetterOrDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    public static string ValidDescription(string? description)
    {
        if (description is { Length: > WorkspaceUpdate.MaxDescriptionLength })
        {
            throw new ArgumentException($"description is {description.Length} characters long; at most {WorkspaceUpdate.MaxDescriptionLength} are allowed.", nameof(description));
        }

        return description ?? "";
    }

    public static IReadOnlyDictionary<string, string> ValidTags(IReadOnlyDictionary<string, string>? tags)
    {
        if (tags is null || tags.Count == 0)
        {
            return new Dictionary<string, string>();
        }

        if (tags.Count > WorkspaceUpdate.MaxTags)
        {
            throw new ArgumentException($"tags has {tags.Count} entries; at most {WorkspaceUpdate.MaxTags} are allowed.", nameof(tags));
        }

        var copy = new Dictionary<string, string>(tags.Count, StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Length > WorkspaceUpdate.MaxTagKeyLength)
            {
                throw new ArgumentException($"tags has a key that is empty or longer than {WorkspaceUpdate.MaxTagKeyLength} characters: '{key}'.", nameof(tags));
            }

            if (value is null || value.Length > WorkspaceUpdate.MaxTagValueLength)
            {
                throw new ArgumentException($"tags['{key}'] is missing or longer than {WorkspaceUpdate.MaxTagValueLength} characters.", nameof(tags));
            }

            copy[key] = value;
        }

        return copy;
    }
}
