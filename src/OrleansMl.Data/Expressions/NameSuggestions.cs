namespace OrleansMl.Data.Expressions;

/// <summary>"Did you mean" for misspelt column and function names.</summary>
public static class NameSuggestions
{
    private const int MaxListed = 30;

    /// <summary>The candidate closest to <paramref name="name"/> (ignoring case, a swap of neighbours counting as one edit), if close enough to be a typo.</summary>
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        var allowed = Math.Clamp(name.Length / 3, 1, 3);
        foreach (var candidate in candidates)
        {
            var distance = Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance <= allowed && distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best;
    }

    /// <summary>A list for a message: "a, b, c", the first <see cref="MaxListed"/> names of a long one and a count of the rest.</summary>
    public static string List(IReadOnlyCollection<string> names) =>
        names.Count <= MaxListed
            ? string.Join(", ", names)
            : $"{string.Join(", ", names.Take(MaxListed))}, ... ({names.Count - MaxListed} more)";

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
