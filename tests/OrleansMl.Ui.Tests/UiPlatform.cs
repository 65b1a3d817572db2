using Microsoft.Playwright;
using OrleansMl.Client;
using OrleansMl.Gateway.Security;
using OrleansMl.Testing;

namespace OrleansMl.Ui.Tests;

/// <summary>
/// The real embedded platform with a reader and an admin key and one imported dataset, and Debian's
/// Chromium (installed from its package when missing) driven by Playwright.
/// </summary>
public sealed class UiPlatform : IAsyncLifetime
{
    public const string Reader = "ui-reader-key-0123456789";
    public const string Admin = "ui-admin-key-0123456789";
    public const string Dataset = "weather";
    public const string Experiment = "blobs-knn";
    public const string Model = "blobs-model";
    public const string Endpoint = "blobs";

    /// <summary>An endpoint of a k-NN model over dark and light 8×8 grey images, which takes image files.</summary>
    public const string ImageEndpoint = "tones";

    private const string Chromium = "/usr/bin/chromium";
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("orleansml-ui-").FullName;
    private EmbeddedPlatform _platform = null!;
    private IPlaywright _playwright = null!;

    public Uri Address => _platform.Address;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where each test's screenshots go: <c>.test-results/ui/</c> under the repository.</summary>
    public string Screenshots { get; } = Path.Combine(RepoPaths.Root, ".test-results", "ui");

    public async Task InitializeAsync()
    {
        DebianPackage.EnsureInstalled("chromium", () => File.Exists(Chromium), "the Chromium browser the UI tests drive");
        Directory.CreateDirectory(Screenshots);
        _platform = await EmbeddedPlatform.StartAsync(
            _dataDirectory,
            TestApiKey.Configuration(new("reader", Reader, GatewayRole.Reader), new("admin", Admin, GatewayRole.Admin)));
        using var client = new OrleansMlClient(new OrleansMlClientOptions { BaseAddress = Address, ApiKey = Admin });
        var csv = new System.Text.StringBuilder("day,temperature,city\n");
        for (var i = 0; i < 500; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i},{10 + (i % 17) * 0.75},{(i % 3 == 0 ? "Oslo" : i % 3 == 1 ? "Lisbon" : "Cairo")}\n");
        }

        using var content = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv.ToString()));
        var import = await client.Datasets.UploadAsync(Dataset, content, "weather.csv", wait: TimeSpan.FromMinutes(2));
        if (import.State != "succeeded")
        {
            throw new InvalidOperationException($"The import ended {import.State}: {import.Error}");
        }

        // Two blobs, and a k-NN grid over k = 1, 3, 5 on them: an experiment of three runs.
        var lines = new System.Text.StringBuilder();
        var random = new Random(3);
        for (var i = 0; i < 300; i++)
        {
            lines.Append(System.Globalization.CultureInfo.InvariantCulture, $$"""{"features":[{{(i % 2 * 10) + random.NextDouble()}},{{(i % 2 * 10) + random.NextDouble()}}],"label":{{i % 2}}}""").Append('\n');
        }

        using var blobs = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(lines.ToString()));
        await client.Datasets.UploadAsync("blobs", blobs, "blobs.jsonl", wait: TimeSpan.FromMinutes(2));
        var experiment = await client.Experiments.StartAsync(Experiment, new ExperimentSpec(
            new DatasetRef("blobs"), LabelColumn: "label", FeatureColumn: "features", Task: "multiclass", Trainer: "knn",
            SearchSpace: new Dictionary<string, ParamRange> { ["k"] = new(Values: ["1", "3", "5"]) }, Strategy: "grid", MaxRuns: 3), wait: TimeSpan.FromMinutes(2));
        if (experiment.State != "succeeded")
        {
            throw new InvalidOperationException($"The experiment ended {experiment.State}: {experiment.StopReason}");
        }

        // Its best run registered, given the alias production, and deployed behind an endpoint.
        var model = await client.Models.RegisterAsync(Model, ModelSource.FromRun(Experiment, experiment.Best!.Index));
        await client.Models.SetAliasAsync(Model, "production", model.Version);
        await client.Endpoints.SetAsync(Endpoint, new EndpointSpec([new EndpointTarget(Model, Alias: "production")]));

        // Dark and light 8×8 grey images in class folders, k-NN through a fitted step, deployed: an endpoint that takes images.
        using (var tones = new MemoryStream())
        {
            using (var archive = new System.IO.Compression.ZipArchive(tones, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
            {
                for (var i = 0; i < 12; i++)
                {
                    foreach (var (tone, grey) in new[] { ("dark", (byte)(i * 3)), ("light", (byte)(255 - (i * 3))) })
                    {
                        await using var entry = archive.CreateEntry($"tones/{tone}/{i}.png").Open();
                        await entry.WriteAsync(PngWriter.Uniform(8, 8, grey));
                    }
                }
            }

            tones.Position = 0;
            await client.Datasets.UploadAsync("tones", tones, "tones.zip", new UploadOptions(ImageWidth: 8, ImageHeight: 8, ImageChannels: 1), TimeSpan.FromMinutes(2));
        }

        var tonesKnn = await client.Experiments.StartAsync("tones-knn", new ExperimentSpec(
            new DatasetRef("tones"), LabelColumn: "label", FeatureColumn: "features", Task: "multiclass", Trainer: "knn",
            Params: new Dictionary<string, string> { ["k"] = "1" }, Steps: [new TransformStep("assemble", Columns: ["pixels"], Output: "features")]), wait: TimeSpan.FromMinutes(2));
        await client.Models.RegisterAsync("tones", ModelSource.FromRun("tones-knn", tonesKnn.Best!.Index));
        await client.Endpoints.SetAsync(ImageEndpoint, new EndpointSpec([new EndpointTarget("tones", Version: 1)]));

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await _platform.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    /// <summary>An HTTP client of the platform that keeps cookies and follows redirects, as a browser would.</summary>
    public HttpClient CreateClient() =>
        new(new HttpClientHandler { UseCookies = true }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
}
