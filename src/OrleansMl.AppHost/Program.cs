// A local OrleansMl cluster under .NET Aspire: Azurite (Azure Storage's emulator, from npm), two silos and the
// HTTP gateway, with the Aspire dashboard showing their logs, traces and metrics (it is their OTLP endpoint).
//   dotnet run --project src/OrleansMl.AppHost
// The gateway answers on http://localhost:5080 (authentication off, as in Development). Azurite's data stays in
// .local-cluster/aspire-azurite between runs; delete it to start empty. scripts/local-cluster.sh does the same
// without Aspire.
var builder = DistributedApplication.CreateBuilder(args);

var repository = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".."));
var tools = Path.Combine(repository, ".tools", "azurite");
var data = Directory.CreateDirectory(Path.Combine(repository, ".local-cluster", "aspire-azurite")).FullName;
const int BlobPort = 10000, QueuePort = 10001, TablePort = 10002;

// npm is quick when Azurite is there already; the version is the newest that runs on Node 20.
var install = builder.AddExecutable("azurite-install", "npm", repository,
    "install", "--prefix", tools, "azurite@3.35.0", "--no-audit", "--no-fund", "--loglevel=error");

var azurite = builder.AddExecutable("azurite", "node", repository,
        Path.Combine(tools, "node_modules", "azurite", "dist", "src", "azurite.js"),
        "--silent", "--location", data, "--skipApiVersionCheck", "--disableTelemetry",
        "--blobHost", "127.0.0.1", "--blobPort", $"{BlobPort}",
        "--queueHost", "127.0.0.1", "--queuePort", $"{QueuePort}",
        "--tableHost", "127.0.0.1", "--tablePort", $"{TablePort}")
    .WithHttpEndpoint(port: BlobPort, name: "blob", isProxied: false)
    .WithHttpHealthCheck("/devstoreaccount1?comp=list", statusCode: 403, endpointName: "blob") // up: it refuses an unsigned request
    .WaitForCompletion(install);

// What every process of the cluster shares: Azure Table membership, Azure Blob state and artifacts on Azurite.
IResourceBuilder<ProjectResource> Platform(string name, string role) =>
    builder.AddProject<Projects.OrleansMl_Silo>(name, launchProfileName: null)
        .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
        .WithEnvironment("OrleansMl__Role", role)
        .WithEnvironment("OrleansMl__ClusterId", "aspire")
        .WithEnvironment("OrleansMl__Storage__Mode", "AzureStorage")
        .WithEnvironment("OrleansMl__Storage__ConnectionString", "UseDevelopmentStorage=true")
        .WithEnvironment("OrleansMl__DataDirectory", Path.Combine(repository, ".local-cluster", "aspire-" + name))
        .WaitFor(azurite);

var silos = new[] { 1, 2 }.Select(i => Platform($"silo{i}", "Silo")
        .WithEnvironment("OrleansMl__SiloPort", (11110 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))
        .WithEnvironment("OrleansMl__GatewayPort", (30000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))
        .WithHttpEndpoint(name: "http")
        .WithHttpHealthCheck("/health/ready"))
    .ToList();

var gateway = Platform("gateway", "Gateway")
    .WithHttpEndpoint(port: 5080, name: "http", isProxied: false)
    .WithHttpHealthCheck("/health/ready")
    .WithExternalHttpEndpoints();
foreach (var silo in silos)
{
    gateway.WaitFor(silo);
}

builder.Build().Run();
