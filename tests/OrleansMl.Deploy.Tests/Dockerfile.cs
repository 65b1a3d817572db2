using OrleansMl.Testing;

namespace OrleansMl.Deploy.Tests;

/// <summary>The repository's Dockerfile as a reviewer reads it: the final stage's environment, user, ports and entry point.</summary>
internal sealed record Dockerfile(IReadOnlyDictionary<string, string> Environment, string? User, IReadOnlyList<int> Ports, string? EntryPoint, IReadOnlyList<string> Instructions)
{
    public static string PathInRepo => System.IO.Path.Combine(RepoPaths.Root, "Dockerfile");

    /// <summary>The last stage of the Dockerfile (after its last FROM), with continuation lines joined.</summary>
    public static Dockerfile ReadFinalStage()
    {
        var lines = new List<string>();
        var pending = "";
        foreach (var raw in File.ReadLines(PathInRepo))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            lines.Add(pending + line);
            pending = "";
        }

        var final = lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase));
        var stage = lines.Skip(final).ToList();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        string? user = null, entryPoint = null;
        var ports = new List<int>();
        foreach (var line in stage)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var (instruction, rest) = (line[..space].ToUpperInvariant(), line[(space + 1)..].Trim());
            switch (instruction)
            {
                case "ENV":
                    foreach (var pair in rest.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        var equals = pair.IndexOf('=', StringComparison.Ordinal);
                        environment[pair[..equals]] = pair[(equals + 1)..].Trim('"');
                    }

                    break;
                case "USER":
                    user = rest;
                    break;
                case "EXPOSE":
                    ports.AddRange(rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture)));
                    break;
                case "ENTRYPOINT":
                    entryPoint = rest;
                    break;
            }
        }

        return new Dockerfile(environment, user, ports, entryPoint, stage);
    }
}
