using System.CommandLine.Parsing;
using System.Globalization;
using OrleansMl.Client;

namespace OrleansMl.Cli.Endpoints;

/// <summary>Endpoint targets on the command line: <c>MODEL:VERSION[:WEIGHT]</c> or <c>MODEL@ALIAS[:WEIGHT]</c>.</summary>
internal static class TargetParser
{
    public const string Syntax = "MODEL:VERSION[:WEIGHT] or MODEL@ALIAS[:WEIGHT]";

    public static EndpointTarget[] ParseAll(ArgumentResult result)
    {
        var targets = new List<EndpointTarget>();
        foreach (var token in result.Tokens)
        {
            if (Parse(token.Value) is { } target)
            {
                targets.Add(target);
            }
            else
            {
                result.AddError($"'{token.Value}' is not {Syntax} (VERSION and WEIGHT are whole numbers).");
            }
        }

        return [.. targets];
    }

    public static EndpointTarget? ParseOne(ArgumentResult result) => ParseAll(result) is [var target] ? target : null;

    public static EndpointTarget? Parse(string text)
    {
        var at = text.IndexOf('@');
        if (at > 0)
        {
            var (alias, aliasWeight) = SplitWeight(text[(at + 1)..]);
            return alias.Length > 0 && aliasWeight is not null ? new EndpointTarget(text[..at], Alias: alias, Weight: aliasWeight.Value) : null;
        }

        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || !TryInt(parts[1], out var version))
        {
            return null;
        }

        var weight = 100;
        return parts.Length == 2 || TryInt(parts[2], out weight) ? new EndpointTarget(parts[0], version, Weight: weight) : null;
    }

    private static (string Alias, int? Weight) SplitWeight(string text)
    {
        var colon = text.IndexOf(':');
        if (colon < 0)
        {
            return (text, 100);
        }

        return (text[..colon], TryInt(text[(colon + 1)..], out var weight) ? weight : null);
    }

    private static bool TryInt(string text, out int value) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
