using OrleansMl.Testing;

namespace OrleansMl.Storage.Tests.AzureBlob;

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
