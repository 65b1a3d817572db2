namespace OrleansMl.Testing;

/// <summary>
/// Real pictures sorted by what they are used for: the PNG icons of Debian's <c>oxygen-icon-theme</c>,
/// in folders by purpose (actions, apps, devices, mimetypes, places, status, ...) at several sizes.
/// </summary>
public static class OxygenIcons
{
    public const string Package = "oxygen-icon-theme";

    public const string Root = "/usr/share/icons/oxygen/base";

    private static readonly Lazy<string> Installed = new(() =>
    {
        DebianPackage.EnsureInstalled(Package, () => Directory.Exists(Path.Combine(Root, "32x32", "actions")), $"PNG icons under {Root}/{{size}}/{{purpose}}");
        return Root;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The folder of one size (e.g. "32x32"), whose sub-folders are the purposes; installs the package when missing.</summary>
    public static string Size(string size) => Path.Combine(Installed.Value, size);
}
