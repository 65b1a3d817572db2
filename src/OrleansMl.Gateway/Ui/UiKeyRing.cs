using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using OrleansMl.Storage.Artifacts;

namespace OrleansMl.Gateway.Ui;

/// <summary>
/// The keys that encrypt the UI's session cookies and anti-forgery tokens, kept in the platform's
/// artifact store (<c>ui-keys/</c>): every gateway of a cluster reads the same ring, so a session made
/// by one is read by the others, and a restarted gateway does not sign everyone out. Data protection
/// calls it rarely (at start and when it rotates a key, every 90 days).
/// </summary>
public sealed class UiKeyRing(IArtifactStore store) : IXmlRepository
{
    public const string Folder = "ui-keys/";

    public IReadOnlyCollection<XElement> GetAllElements() => ReadAllAsync().GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        var name = string.Concat(friendlyName.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(element.ToString(SaveOptions.DisableFormatting)));
        store.WriteAsync($"{Folder}key-{(name.Length == 0 ? Guid.NewGuid().ToString("N") : name)}.xml", content).GetAwaiter().GetResult();
    }

    private async Task<IReadOnlyCollection<XElement>> ReadAllAsync()
    {
        var elements = new List<XElement>();
        await foreach (var file in store.ListAsync(Folder))
        {
            await using var stream = await store.OpenReadAsync(file.Path);
            elements.Add(await XElement.LoadAsync(stream, LoadOptions.None, CancellationToken.None));
        }

        return elements;
    }
}
