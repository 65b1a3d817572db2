namespace OrleansMl;

/// <summary>Which folders of the server's own disk a request may name (imports read under their roots, backups write under theirs).</summary>
public static class ServerFolders
{
    /// <summary>
    /// True when <paramref name="path"/>, with every symbolic link on the way resolved, lies under one
    /// of the allowed roots (resolved the same way), and not in the kernel's virtual file systems
    /// (<c>/proc</c>, <c>/sys</c>, <c>/dev</c>), which no root opens: a link inside an allowed folder
    /// must not lead out of it, and a root of <c>/</c> must not read a process's environment. A path
    /// with a <c>..</c> component is refused outright: after a link, <c>..</c> leads elsewhere than
    /// its text says.
    /// </summary>
    public static bool Allows(string path, IEnumerable<string?> roots)
    {
        if (path.Split('/', '\\').Contains(".."))
        {
            return false;
        }

        var full = RealPath(path);
        if (OperatingSystem.IsLinux() && VirtualFileSystems.Any(v => Under(full, v)))
        {
            return false;
        }

        return roots.OfType<string>().Any(root => Under(full, RealPath(root)));
    }

    private static readonly string[] VirtualFileSystems = ["/proc", "/sys", "/dev"];

    private static bool Under(string full, string root)
    {
        var prefix = Path.TrimEndingDirectorySeparator(root);
        if (!Path.EndsInDirectorySeparator(prefix))
        {
            prefix += Path.DirectorySeparatorChar; // "/data" must not allow "/database"; "/" stays "/"
        }

        return full.StartsWith(prefix, StringComparison.Ordinal) || full + Path.DirectorySeparatorChar == prefix;
    }

    /// <summary>The absolute path with each link among its components replaced by what it points to (at most 40 links, as Linux allows).</summary>
    internal static string RealPath(string path)
    {
        var pending = new Stack<string>(Path.GetFullPath(path).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = Path.GetPathRoot(Path.GetFullPath(path)) ?? "/";
        for (var links = 0; pending.TryPop(out var part);)
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is not { } target)
            {
                current = next;
                continue;
            }

            if (++links > 40)
            {
                throw new IOException($"Too many levels of symbolic links in '{path}'.");
            }

            // Resolve the target's own components as well: it may be relative, and it may pass through links.
            var resolved = Path.GetFullPath(target, current);
            foreach (var component in resolved.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(component);
            }

            current = Path.GetPathRoot(resolved) ?? "/";
        }

        return current;
    }
}
