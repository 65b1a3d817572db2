using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OrleansMl.Client;

namespace OrleansMl.Ui.Tests;

/// <summary>
/// The web UI in a real browser against the real platform: sign-in, the home page, a dataset's
/// statistics with a histogram drawn, what a reader sees, sign-out; and, over plain HTTP, that a form
/// post without the anti-forgery token is refused and the session cookie opens the UI but never the API.
/// Each step saves a screenshot; a failing step says which it was and saves the page.
/// </summary>
public sealed class UiTests(UiPlatform platform) : IClassFixture<UiPlatform>
{
    [Fact]
    public async Task AnAdminSignsInAndReadsADatasetsStatisticsWithAHistogram()
    {
        await using var context = await platform.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = platform.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 720 } });
        var page = await context.NewPageAsync();

        await StepAsync(page, "open the root: sent to sign in", async () =>
        {
            await page.GotoAsync("/");
            Assert.Equal("/sign-in", new Uri(page.Url).AbsolutePath);
        });
        await StepAsync(page, "sign in with the admin key", () => SignInAsync(page, UiPlatform.Admin));
        await StepAsync(page, "the home page counts the datasets and the experiment and names the person", async () =>
        {
            Assert.Equal("/", new Uri(page.Url).AbsolutePath);
            using var api = platform.CreateClient();
            api.DefaultRequestHeaders.Add("X-Api-Key", UiPlatform.Admin);
            var datasets = System.Text.Json.JsonDocument.Parse(await api.GetStringAsync("/v1/datasets")).RootElement.GetArrayLength(); // the two imported and the experiment's splits
            Assert.True(datasets >= 2, $"{datasets} datasets");
            await Assertions.Expect(page.Locator(".card", new() { HasText = "datasets" }).Locator(".value")).ToHaveTextAsync(datasets.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var experiments = System.Text.Json.JsonDocument.Parse(await api.GetStringAsync("/v1/experiments")).RootElement.GetArrayLength(); // another test may have started a sweep
            await Assertions.Expect(page.Locator(".card", new() { HasText = "experiments" }).Locator(".value")).ToHaveTextAsync(experiments.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Assertions.Expect(page.Locator(".who")).ToContainTextAsync("admin · admin");
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Orleans dashboard" })).ToBeVisibleAsync();
        });
        await StepAsync(page, "the datasets page lists it with its rows", async () =>
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Datasets", Exact = true }).First.ClickAsync();
            var row = page.Locator("tr", new() { HasText = UiPlatform.Dataset });
            await Assertions.Expect(row).ToContainTextAsync("500");
        });
        await StepAsync(page, "the dataset page draws a histogram of temperature and the top cities", async () =>
        {
            await page.GetByRole(AriaRole.Link, new() { Name = UiPlatform.Dataset }).ClickAsync();
            var temperature = page.Locator("section[aria-label='column temperature']");
            await Assertions.Expect(temperature.Locator("svg.histogram rect").First).ToBeVisibleAsync();
            Assert.True(await temperature.Locator("svg.histogram rect").CountAsync() > 1);
            var cities = page.Locator("ul[aria-label='top values of city']");
            await Assertions.Expect(cities).ToContainTextAsync("Oslo");
            await Assertions.Expect(cities).ToContainTextAsync("167");
            await Assertions.Expect(page.Locator("table[aria-label='first rows']")).ToContainTextAsync("Lisbon");
            await Assertions.Expect(page.Locator("table[aria-label='a random sample'] tbody tr")).ToHaveCountAsync(10);
            var silo = page.Locator("table[aria-label=partitions] tbody tr");
            await Assertions.Expect(silo).ToHaveCountAsync(1); // one silo holds its partition
            await Assertions.Expect(silo.Locator("td").Nth(2)).ToHaveTextAsync("500");
        });
        await StepAsync(page, "the cluster page shows the silo with the partitions it holds", async () =>
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Cluster", Exact = true }).ClickAsync();
            var silo = page.Locator("table[aria-label='silos'] tbody tr");
            await Assertions.Expect(silo).ToHaveCountAsync(1);
            await Assertions.Expect(silo).ToContainTextAsync("Active");
            var partitions = int.Parse(await silo.Locator("td:nth-child(4)").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(partitions >= 1, "the dataset just described has its partition in memory");
            await Assertions.Expect(silo.Locator("td:nth-child(8)")).ToContainTextAsync("PartitionGrain");
            await page.GoBackAsync();
        });
        await StepAsync(page, "readable on a phone", async () =>
        {
            await page.SetViewportSizeAsync(390, 844);
            await Assertions.Expect(page.Locator("section[aria-label='column city']")).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task ExperimentsModelsEndpointsAndSqlShowWhatTheApiHolds()
    {
        await using var context = await platform.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = platform.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 720 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/experiments");
        await SignInAsync(page, UiPlatform.Reader);

        await StepAsync(page, "the experiments page lists the sweep with its best run", async () =>
        {
            var row = page.Locator("tr", new() { HasText = UiPlatform.Experiment });
            await Assertions.Expect(row).ToContainTextAsync("succeeded");
            await Assertions.Expect(row).ToContainTextAsync("knn");
        });
        await StepAsync(page, "the experiment page shows one row per run with its k and accuracy", async () =>
        {
            await page.GetByRole(AriaRole.Link, new() { Name = UiPlatform.Experiment }).ClickAsync();
            var runs = page.Locator("table tbody tr");
            await Assertions.Expect(runs).ToHaveCountAsync(3);
            await Assertions.Expect(page.Locator("table thead")).ToContainTextAsync("accuracy");
            var ks = await page.Locator("table tbody tr td:nth-child(4)").AllInnerTextsAsync(); // after the compare box, the run and its status
            Assert.Equal(["1", "3", "5"], ks);
        });
        await StepAsync(page, "sorting by a metric asks the server", async () =>
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Run", Exact = true }).ClickAsync();
            Assert.Contains("sort=index", page.Url, StringComparison.Ordinal);
            await page.GetByRole(AriaRole.Link, new() { Name = "accuracy", Exact = true }).ClickAsync();
            Assert.Contains("sort=accuracy", page.Url, StringComparison.Ordinal);
            await Assertions.Expect(page.Locator("table tbody tr")).ToHaveCountAsync(3);
        });
        await StepAsync(page, "a filter on a parameter and a metric is applied by the server; a bad one is explained", async () =>
        {
            await page.Locator("input[name=filter]").FillAsync("k >= 3 and accuracy > 0.5");
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
            Assert.Contains("filter=", page.Url, StringComparison.Ordinal);
            Assert.Equal(["3", "5"], await page.Locator("table[aria-label='runs'] tbody tr td:nth-child(4)").AllInnerTextsAsync());
            await page.GetByRole(AriaRole.Link, new() { Name = "k", Exact = true }).ClickAsync(); // sorting keeps the filter
            Assert.Equal(["3", "5"], await page.Locator("table[aria-label='runs'] tbody tr td:nth-child(4)").AllInnerTextsAsync());
            await page.Locator("input[name=filter]").FillAsync("k ~ 3");
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("'k ~ 3' is not 'name op value'");
        });
        await StepAsync(page, "the models page shows the registered version, its alias and where it came from", async () =>
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Models", Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator("tr", new() { HasText = UiPlatform.Model })).ToContainTextAsync("production → v1");
            await page.GetByRole(AriaRole.Link, new() { Name = UiPlatform.Model }).ClickAsync();
            var version = page.Locator("table[aria-label='versions'] tbody tr");
            await Assertions.Expect(version).ToHaveCountAsync(1);
            await Assertions.Expect(version).ToContainTextAsync("production");
            await Assertions.Expect(version.GetByRole(AriaRole.Link, new() { Name = UiPlatform.Experiment, Exact = true })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("ol[aria-label='alias history']")).ToContainTextAsync("production — → v1");
        });
        await StepAsync(page, "the endpoints page shows the route and its share of the traffic", async () =>
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Endpoints", Exact = true }).ClickAsync();
            var row = page.Locator("tr", new() { HasText = UiPlatform.Endpoint });
            await Assertions.Expect(row).ToContainTextAsync($"{UiPlatform.Model} v1");
            await Assertions.Expect(row).ToContainTextAsync("100%");
        });
        await StepAsync(page, "the try-it form asks the endpoint and shows the answer and the same call with curl", async () =>
        {
            await page.GetByRole(AriaRole.Link, new() { Name = UiPlatform.Endpoint, Exact = true }).ClickAsync();
            var form = page.Locator("form[aria-label='try it']");
            await form.Locator("input[name='input.features']").FillAsync("10.4, 10.6");
            await form.GetByRole(AriaRole.Button, new() { Name = "Predict" }).ClickAsync();
            var answer = System.Text.Json.JsonDocument.Parse(await page.Locator("pre[aria-label='answer']").InnerTextAsync()).RootElement;
            Assert.Equal(1, answer.GetProperty("predictions")[0].GetProperty("label").GetInt32()); // the blob at (10, 10) is class 1
            Assert.Equal(UiPlatform.Model, answer.GetProperty("model").GetString());
            await Assertions.Expect(page.Locator("pre[aria-label='curl']")).ToContainTextAsync($"/v1/endpoints/{UiPlatform.Endpoint}/predict");
            await Assertions.Expect(page.Locator("pre[aria-label='curl']")).ToContainTextAsync("10.4");
            await form.Locator("input[name='input.features']").FillAsync("0.3, 0.2");
            await form.GetByRole(AriaRole.Button, new() { Name = "Predict" }).ClickAsync();
            answer = System.Text.Json.JsonDocument.Parse(await page.Locator("pre[aria-label='answer']").InnerTextAsync()).RootElement;
            Assert.Equal(0, answer.GetProperty("predictions")[0].GetProperty("label").GetInt32());
        });
        await StepAsync(page, "the endpoint's traffic shows the two predictions with their latency, drawn per version", async () =>
        {
            await page.ReloadAsync();
            var version = page.Locator("table[aria-label='traffic'] tbody tr", new() { HasText = $"{UiPlatform.Model} v1" });
            await Assertions.Expect(version).ToHaveCountAsync(1);
            var requests = int.Parse(await version.Locator("td:nth-child(2)").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(requests >= 2, $"{requests} requests counted");
            await Assertions.Expect(version.Locator("td:nth-child(7)")).ToContainTextAsync("≤");
            await Assertions.Expect(page.Locator("figure[data-chart='requests'] g.series")).ToHaveCountAsync(1);
        });
        await StepAsync(page, "a value that is not a number, and a vector of the wrong length, are explained", async () =>
        {
            var form = page.Locator("form[aria-label='try it']");
            await form.Locator("input[name='input.features']").FillAsync("1, abc");
            await form.GetByRole(AriaRole.Button, new() { Name = "Predict" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("features: 'abc' (value 2) is not a number.");
            await form.Locator("input[name='input.features']").FillAsync("1, 2, 3");
            await form.GetByRole(AriaRole.Button, new() { Name = "Predict" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("records[0].features");
        });
        await StepAsync(page, "a SQL query answers in a grid", async () =>
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "SQL", Exact = true }).ClickAsync();
            await page.Locator("#query").FillAsync($"SELECT city, count(*) AS n FROM {UiPlatform.Dataset} GROUP BY city ORDER BY city");
            await page.GetByRole(AriaRole.Button, new() { Name = "Run" }).ClickAsync();
            var grid = page.Locator("table[aria-label='result']");
            await Assertions.Expect(grid.Locator("tbody tr")).ToHaveCountAsync(3);
            await Assertions.Expect(grid.Locator("tbody tr").First).ToContainTextAsync("Cairo");
            await Assertions.Expect(grid.Locator("tbody tr").First).ToContainTextAsync("166");
            var chart = page.Locator("figure[data-chart='sql']");
            await Assertions.Expect(chart.Locator("h3")).ToContainTextAsync("n by city");
            await Assertions.Expect(chart.Locator("rect")).ToHaveCountAsync(3);
            await Assertions.Expect(chart.Locator("g.bar").First).ToContainTextAsync("Cairo");
        });
        await StepAsync(page, "a misspelt column is pointed at", async () =>
        {
            await page.Locator("#query").FillAsync($"SELECT cty FROM {UiPlatform.Dataset}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Run" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("did you mean 'city'?");
        });
        await StepAsync(page, "a reader cannot write a dataset from SQL", async () =>
        {
            await page.Locator("#query").FillAsync($"CREATE DATASET copy AS SELECT * FROM {UiPlatform.Dataset}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Run" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("scientist");
        });
        await StepAsync(page, "a dataset's lineage graph draws its source, the experiment that trained on it and, through its split, the model", async () =>
        {
            await page.GotoAsync("/datasets/blobs");
            var graph = page.Locator("svg.lineage");
            await Assertions.Expect(graph.Locator("g.node.root")).ToContainTextAsync("blobs v1");
            await Assertions.Expect(graph.Locator("g.node.source")).ToContainTextAsync("blobs.jsonl");
            await Assertions.Expect(graph.Locator("g.node.experiment")).ToContainTextAsync(UiPlatform.Experiment);
            await Assertions.Expect(graph.Locator("g.node.model")).ToContainTextAsync($"{UiPlatform.Model} v1");
            Assert.True(await graph.Locator("g.edge").CountAsync() >= 5); // import, experiment, two splits, trained (other tests may train on it too)
            await graph.Locator("g.node.dataset", new() { HasText = $"{UiPlatform.Experiment}-train" }).Locator("a").ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync($"{UiPlatform.Experiment}-train");
            await Assertions.Expect(page.Locator("svg.lineage g.node.root")).ToContainTextAsync($"{UiPlatform.Experiment}-train v1");
        });
    }

    [Fact]
    public async Task TheApiReferenceRendersWithoutTheInternet()
    {
        await using var context = await platform.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = platform.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 720 } });
        var page = await context.NewPageAsync();
        var elsewhere = new List<string>();
        await page.RouteAsync("**/*", async route =>
        {
            if (new Uri(route.Request.Url).Host == platform.Address.Host)
            {
                await route.ContinueAsync();
            }
            else
            {
                lock (elsewhere)
                {
                    elsewhere.Add(route.Request.Url); // air-gapped: nothing may leave the gateway
                }

                await route.AbortAsync();
            }
        });
        await StepAsync(page, "the reference at /api lists the API's operations from /openapi/v1.json", async () =>
        {
            await page.GotoAsync("/api");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "OrleansMl API" }).First).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await page.GetByRole(AriaRole.Button, new() { Name = "Open Group - Datasets" }).ClickAsync();
            await Assertions.Expect(page.GetByText("/v1/datasets/{name}/uploads").First).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByText("X-Api-Key").First).ToBeAttachedAsync();
            await Assertions.Expect(page.GetByText("Ask AI")).ToHaveCountAsync(0);
        });
        lock (elsewhere)
        {
            Assert.True(elsewhere.Count == 0, "requests left the gateway: " + string.Join(", ", elsewhere));
        }
    }

    [Fact]
    public async Task AScientistImportsACsvByUploadWatchingItsProgressAndABadFileIsExplained()
    {
        await using var context = await platform.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = platform.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 720 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/datasets");
        await SignInAsync(page, UiPlatform.Admin);
        var csv = new System.Text.StringBuilder("id,score,group\n");
        for (var i = 0; i < 50_000; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i},{i * 0.5},g{i % 7}\n");
        }

        var form = page.Locator("form[data-upload]");
        await StepAsync(page, "upload a CSV of 50,000 rows: the upload's and then the import's progress, then a link to it", async () =>
        {
            await form.Locator("input[name=name]").FillAsync("uploaded");
            await form.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "scores.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv.ToString()) });
            await form.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
            await Assertions.Expect(form.GetByRole(AriaRole.Status)).ToContainTextAsync("Imported 50,000 rows as version 1", new() { Timeout = 60_000 });
            Assert.Equal(await form.Locator("progress").GetAttributeAsync("max"), await form.Locator("progress").EvaluateAsync<string>("p => String(p.value)"));
            await form.GetByRole(AriaRole.Link, new() { Name = "Open uploaded" }).ClickAsync();
            await Assertions.Expect(page.Locator(".cards")).ToContainTextAsync("50,000");
        });
        await StepAsync(page, "a file whose format cannot be told is refused with the API's words", async () =>
        {
            await page.GotoAsync("/datasets");
            await form.Locator("input[name=name]").FillAsync("notes");
            await form.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "notes.xyz", MimeType = "application/octet-stream", Buffer = [1, 2, 3] });
            await form.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
            await Assertions.Expect(form.GetByRole(AriaRole.Status)).ToContainTextAsync("The upload was refused: The format cannot be told from the name 'notes.xyz'", new() { Timeout = 30_000 });
            await Assertions.Expect(form.GetByRole(AriaRole.Status)).Not.ToContainTextAsync("uploads/"); // the platform's own path of the stored file is not the person's business
            await Assertions.Expect(form.GetByRole(AriaRole.Status)).Not.ToContainTextAsync("Imported");
            using var client = new OrleansMlClient(new OrleansMlClientOptions { BaseAddress = platform.Address, ApiKey = UiPlatform.Admin });
            Assert.Empty(await client.Artifacts.ListAsync("uploads/notes/")); // a refused upload is not kept
        });
    }

    [Fact]
    public async Task ASweepDrawsOneCurvePerRunLiveAndTwoRunsCompareSideBySide()
    {
        const int Runs = 8;
        const string sweep = "blobs-logistic";
        await using var context = await platform.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = platform.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 720 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/sign-in");
        await SignInAsync(page, UiPlatform.Admin);
        using (var client = new OrleansMlClient(new OrleansMlClientOptions { BaseAddress = platform.Address, ApiKey = UiPlatform.Admin }))
        {
            // Eight logistic regressions one after another, each logging its objective per iteration: running for a few seconds.
            await client.Experiments.StartAsync(sweep, new ExperimentSpec(
                new DatasetRef("blobs"), LabelColumn: "label", FeatureColumn: "features", Task: "binary", Trainer: "logistic_regression",
                SearchSpace: new Dictionary<string, ParamRange> { ["l2"] = new(Values: [.. Enumerable.Range(0, Runs).Select(i => Math.Pow(10, i - 5).ToString("R", System.Globalization.CultureInfo.InvariantCulture))]) },
                Params: new Dictionary<string, string> { ["tolerance"] = "1e-12", ["max_iterations"] = "200" },
                Strategy: "grid", MaxRuns: Runs, MaxConcurrentRuns: 1));
        }

        await page.GotoAsync($"/experiments/{sweep}");
        await StepAsync(page, "the sweep's page opens while it runs, with a cancel button for a scientist", async () =>
        {
            await Assertions.Expect(page.Locator("[data-live]")).ToHaveCountAsync(1);
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel the experiment" })).ToBeVisibleAsync();
            await page.EvaluateAsync("window.loadedOnce = true");
        });
        await StepAsync(page, "without a reload the page follows the sweep to its end: one objective curve per run", async () =>
        {
            await Assertions.Expect(page.Locator(".cards .card").First.Locator(".value")).ToHaveTextAsync("succeeded", new() { Timeout = 120_000 });
            await Assertions.Expect(page.Locator("[data-live]")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("figure[data-metric='objective'] g.series")).ToHaveCountAsync(Runs);
            Assert.True(await page.EvaluateAsync<bool>("window.loadedOnce === true"), "the page was loaded again instead of updated in place");
            var points = await page.Locator("figure[data-metric='objective'] polyline").First.GetAttributeAsync("points");
            Assert.True(points!.Split(' ').Length > 2, $"one run's curve has only the points '{points}'");
        });
        await StepAsync(page, "the sweep in parallel coordinates: an axis for l2 (log scale) and the metric, a line per run", async () =>
        {
            var parallel = page.Locator("figure[data-chart='parallel']");
            await Assertions.Expect(parallel.Locator("polyline")).ToHaveCountAsync(Runs);
            await Assertions.Expect(parallel.Locator("g[data-axis='l2']")).ToContainTextAsync("l2 (log)");
            await Assertions.Expect(parallel.Locator("g[data-axis='auc']")).ToHaveCountAsync(1);
        });
        await StepAsync(page, "a scatter of l2 against a metric has a dot per run", async () =>
        {
            await page.Locator("select[name=x]").SelectOptionAsync("l2");
            await page.GetByRole(AriaRole.Button, new() { Name = "Plot" }).ClickAsync();
            await Assertions.Expect(page.Locator("figure[data-scatter^='l2:'] circle")).ToHaveCountAsync(Runs);
        });
        await StepAsync(page, "two runs compare side by side: l2 differs, the rest does not, one curve each", async () =>
        {
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "compare run 0" }).CheckAsync();
            await page.GetByRole(AriaRole.Checkbox, new() { Name = $"compare run {Runs - 1}" }).CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();
            await Assertions.Expect(page.Locator("table[aria-label='comparison'] thead th")).ToHaveCountAsync(3);
            await Assertions.Expect(page.Locator("tr[data-param='l2']")).ToHaveAttributeAsync("data-differs", "true");
            await Assertions.Expect(page.Locator("tr[data-param='l2'] td.differs")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("tr[data-param='max_iterations']")).ToHaveAttributeAsync("data-differs", "false");
            await Assertions.Expect(page.Locator("figure[data-metric='objective'] g.series")).ToHaveCountAsync(2);
        });
        await StepAsync(page, "a k-NN run's page shows its confusion matrix as a heat-map that adds up to the evaluation rows", async () =>
        {
            await page.GotoAsync($"/experiments/{UiPlatform.Experiment}/runs/0");
            var cells = page.Locator("table[aria-label='confusion matrix'] td.cell");
            await Assertions.Expect(cells).ToHaveCountAsync(4);
            var counts = (await cells.AllInnerTextsAsync()).Select(c => long.Parse(c, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.InRange(counts.Sum(), 40, 80); // the 20 % held out of 300 rows
            Assert.True(counts[0] + counts[3] > counts[1] + counts[2], $"the blobs are well apart, yet the diagonal holds fewer than the rest: {string.Join(", ", counts)}");
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel this run" })).ToHaveCountAsync(0); // it has finished
        });
    }

    [Fact]
    public async Task TheBestRunIsRegisteredAliasedDeployedAndAskedFromThePages()
    {
        int best;
        using (var client = new OrleansMlClient(new OrleansMlClientOptions { BaseAddress = platform.Address, ApiKey = UiPlatform.Reader }))
        {
            best = (await client.Experiments.GetAsync(UiPlatform.Experiment)).Best!.Index;
        }

        await using var context = await platform.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = platform.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 720 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/experiments/{UiPlatform.Experiment}/runs/{best}");
        await SignInAsync(page, UiPlatform.Admin);
        await StepAsync(page, "the best run's page registers it as a model version", async () =>
        {
            var form = page.Locator("form[aria-label=register]");
            await form.Locator("input[name=model]").FillAsync("flow-model");
            await form.GetByRole(AriaRole.Button, new() { Name = "Register this run as a model version" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Registered: flow-model v1");
            await page.GetByRole(AriaRole.Link, new() { Name = "flow-model v1" }).ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("flow-model");
        });
        await StepAsync(page, "production points at it", async () =>
        {
            await page.Locator("form[aria-label='set alias']").GetByRole(AriaRole.Button, new() { Name = "Point the alias here" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("production now points at v1.");
        });
        await StepAsync(page, "production is deployed behind a new endpoint", async () =>
        {
            var form = page.Locator("form[aria-label=deploy]");
            await form.Locator("input[name=endpoint]").FillAsync("flow");
            await form.Locator("select[name=target]").SelectOptionAsync("alias:production");
            await form.GetByRole(AriaRole.Button, new() { Name = "Deploy" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Revision 1 serves flow-model v1");
            await page.GetByRole(AriaRole.Link, new() { Name = "endpoint flow" }).ClickAsync();
        });
        await StepAsync(page, "the endpoint answers the try-it form", async () =>
        {
            var form = page.Locator("form[aria-label='try it']");
            await form.Locator("input[name='input.features']").FillAsync("10.4, 10.6");
            await form.GetByRole(AriaRole.Button, new() { Name = "Predict" }).ClickAsync();
            await Assertions.Expect(page.Locator("pre[aria-label=answer]")).ToContainTextAsync("\"model\": \"flow-model\"");
            await Assertions.Expect(page.Locator("pre[aria-label=answer]")).ToContainTextAsync("\"label\": 1");
        });
    }

    [Fact]
    public async Task TheTryItFormOfAModelThatTakesImagesTakesAnImageFile()
    {
        await using var context = await platform.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = platform.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 720 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/endpoints/{UiPlatform.ImageEndpoint}");
        await SignInAsync(page, UiPlatform.Reader);
        var form = page.Locator("form[aria-label='try it']");
        await StepAsync(page, "a light grey PNG is answered 'light', with the same call as curl", async () =>
        {
            await Assertions.Expect(form).ToContainTextAsync("decoded to 8×8, grey");
            await form.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "light.png", MimeType = "image/png", Buffer = OrleansMl.Testing.PngWriter.Uniform(8, 8, 250) });
            await form.GetByRole(AriaRole.Button, new() { Name = "Predict" }).ClickAsync();
            await Assertions.Expect(page.Locator("pre[aria-label=answer]")).ToContainTextAsync("\"light\"");
            await Assertions.Expect(page.Locator("pre[aria-label=curl]")).ToContainTextAsync("--data-binary @'light.png'");
            await Assertions.Expect(page.Locator("pre[aria-label=curl]")).ToContainTextAsync("Content-Type: image/png");
        });
        await StepAsync(page, "a dark one is answered 'dark'", async () =>
        {
            await form.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "dark.png", MimeType = "image/png", Buffer = OrleansMl.Testing.PngWriter.Uniform(8, 8, 10) });
            await form.GetByRole(AriaRole.Button, new() { Name = "Predict" }).ClickAsync();
            await Assertions.Expect(page.Locator("pre[aria-label=answer]")).ToContainTextAsync("\"dark\"");
        });
        await StepAsync(page, "a file that is not an image is refused in the API's words", async () =>
        {
            await form.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = System.Text.Encoding.UTF8.GetBytes("not a picture") });
            await form.GetByRole(AriaRole.Button, new() { Name = "Predict" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not a PNG, JPEG, BMP or GIF image");
        });
    }

    [Fact]
    public async Task AnAdminEditsAnEndpointsRoutesWithAPreviewAndAReaderSeesNoEditor()
    {
        const string model = "blobs-routes";
        const string endpoint = "blobs-routes";
        using (var client = new OrleansMlClient(new OrleansMlClientOptions { BaseAddress = platform.Address, ApiKey = UiPlatform.Admin }))
        {
            await client.Models.RegisterAsync(model, ModelSource.FromRun(UiPlatform.Experiment, 0));
            await client.Models.RegisterAsync(model, ModelSource.FromRun(UiPlatform.Experiment, 1));
            await client.Endpoints.SetAsync(endpoint, new EndpointSpec([new EndpointTarget(model, Version: 1)]));
        }

        await using var context = await platform.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = platform.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 720 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/endpoints/{endpoint}");
        await SignInAsync(page, UiPlatform.Admin);
        var editor = page.Locator("form[aria-label='edit routes']");
        await StepAsync(page, "send a tenth of the traffic to v2: the preview shows the shares and what changes, and nothing has changed yet", async () =>
        {
            var rows = editor.Locator("tbody tr");
            await rows.Nth(0).Locator("input[aria-label=weight]").FillAsync("90");
            await rows.Nth(1).Locator("input[aria-label=model]").FillAsync(model);
            await rows.Nth(1).Locator("input[aria-label='version or alias']").FillAsync("2");
            await rows.Nth(1).Locator("input[aria-label=weight]").FillAsync("10");
            await editor.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
            var preview = page.Locator("table[aria-label=preview] tbody tr");
            await Assertions.Expect(preview).ToHaveCountAsync(2);
            await Assertions.Expect(preview.Nth(0)).ToContainTextAsync("90%");
            await Assertions.Expect(preview.Nth(0)).ToContainTextAsync("weight 100 → 90");
            await Assertions.Expect(preview.Nth(1)).ToContainTextAsync("10%");
            await Assertions.Expect(preview.Nth(1)).ToContainTextAsync("new");
            using var client = new OrleansMlClient(new OrleansMlClientOptions { BaseAddress = platform.Address, ApiKey = UiPlatform.Reader });
            Assert.Equal(1, (await client.Endpoints.GetAsync(endpoint)).Revision);
        });
        await StepAsync(page, "rows edited after the preview are previewed again, not applied", async () =>
        {
            var rows = editor.Locator("tbody tr");
            await rows.Nth(0).Locator("input[aria-label=weight]").FillAsync("80");
            await rows.Nth(1).Locator("input[aria-label=weight]").FillAsync("20");
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply revision 2" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("edited after the preview");
            await Assertions.Expect(page.Locator("table[aria-label=preview] tbody tr").Nth(1)).ToContainTextAsync("20%");
            using var client = new OrleansMlClient(new OrleansMlClientOptions { BaseAddress = platform.Address, ApiKey = UiPlatform.Reader });
            Assert.Equal(1, (await client.Endpoints.GetAsync(endpoint)).Revision);
        });
        await StepAsync(page, "apply it: revision 2 serves, as the API says", async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply revision 2" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Revision 2 serves now.");
            await Assertions.Expect(page.Locator("table[aria-label=routes] tbody tr")).ToHaveCountAsync(2);
            using var client = new OrleansMlClient(new OrleansMlClientOptions { BaseAddress = platform.Address, ApiKey = UiPlatform.Reader });
            var served = await client.Endpoints.GetAsync(endpoint);
            Assert.Equal([(1, 80), (2, 20)], served.Routes.Select(r => (r.Version, r.Weight)));
        });
        await StepAsync(page, "a route to a version that does not exist is refused in the API's words", async () =>
        {
            var rows = editor.Locator("tbody tr");
            await rows.Nth(1).Locator("input[aria-label='version or alias']").FillAsync("9");
            await editor.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("targets[1]");
            await Assertions.Expect(page.Locator("table[aria-label=preview]")).ToHaveCountAsync(0);
        });

        await using var readerContext = await platform.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = platform.Address.ToString() });
        var reader = await readerContext.NewPageAsync();
        await reader.GotoAsync($"/endpoints/{endpoint}");
        await SignInAsync(reader, UiPlatform.Reader);
        await StepAsync(reader, "a reader sees the routes but no editor", async () =>
        {
            await Assertions.Expect(reader.Locator("table[aria-label=routes] tbody tr")).ToHaveCountAsync(2);
            await Assertions.Expect(reader.Locator("form[aria-label='edit routes']")).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task AnAdminPromotesAVersionAndRollsTheAliasBackAndAReaderSeesNoSuchButton()
    {
        const string model = "blobs-promoted";
        using (var client = new OrleansMlClient(new OrleansMlClientOptions { BaseAddress = platform.Address, ApiKey = UiPlatform.Admin }))
        {
            await client.Models.RegisterAsync(model, ModelSource.FromRun(UiPlatform.Experiment, 0));
            await client.Models.RegisterAsync(model, ModelSource.FromRun(UiPlatform.Experiment, 1));
            await client.Models.SetAliasAsync(model, "production", 1);
        }

        await using var context = await platform.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = platform.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 720 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/models/{model}");
        await SignInAsync(page, UiPlatform.Admin);
        await StepAsync(page, "point production at v2", async () =>
        {
            var form = page.Locator("form[aria-label='set alias']");
            await form.Locator("select[name=Version]").SelectOptionAsync("2");
            await form.GetByRole(AriaRole.Button, new() { Name = "Point the alias here" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("production now points at v2.");
            await Assertions.Expect(page.Locator("ol[aria-label='alias history'] li").First).ToContainTextAsync("production v1 → v2");
        });
        await StepAsync(page, "roll production back to v1, as the API records it", async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Roll back production" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("production rolled back to v1.");
            using var client = new OrleansMlClient(new OrleansMlClientOptions { BaseAddress = platform.Address, ApiKey = UiPlatform.Reader });
            Assert.Equal(1, (await client.Models.GetAsync(model)).Aliases["production"]);
        });

        await using var readerContext = await platform.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = platform.Address.ToString() });
        var reader = await readerContext.NewPageAsync();
        await reader.GotoAsync($"/models/{model}");
        await SignInAsync(reader, UiPlatform.Reader);
        await StepAsync(reader, "a reader sees the history but no button to change an alias", async () =>
        {
            await Assertions.Expect(reader.Locator("ol[aria-label='alias history'] li")).ToHaveCountAsync(3);
            await Assertions.Expect(reader.GetByRole(AriaRole.Button, new() { Name = "Point the alias here" })).ToHaveCountAsync(0);
            await Assertions.Expect(reader.GetByRole(AriaRole.Button, new() { Name = "Roll back production" })).ToHaveCountAsync(0);
        });

        // A reader who crafts the form's post anyway (with a valid token from the sign-out form) is refused: the page has no such form for them.
        using var http = platform.CreateClient();
        await UiForms.SignInAsync(http, UiPlatform.Reader);
        var answer = await UiForms.PostAsync(http, $"/models/{model}", "set-alias", new("Alias", "production"), new("Version", "2"));
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        using (var client = new OrleansMlClient(new OrleansMlClientOptions { BaseAddress = platform.Address, ApiKey = UiPlatform.Reader }))
        {
            Assert.Equal(1, (await client.Models.GetAsync(model)).Aliases["production"]);
        }
    }

    [Fact]
    public async Task AWrongKeyIsRefusedAReaderSeesNoAdminLinkAndSignOutEndsTheSession()
    {
        await using var context = await platform.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = platform.Address.ToString(), ColorScheme = ColorScheme.Dark });
        var page = await context.NewPageAsync();

        await StepAsync(page, "a wrong key is refused on the page", async () =>
        {
            await page.GotoAsync("/sign-in");
            await SignInAsync(page, "not-a-key");
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That API key is not valid.");
        });
        await StepAsync(page, "a reader signs in and is sent back where they were going", async () =>
        {
            await page.GotoAsync($"/datasets/{UiPlatform.Dataset}");
            await SignInAsync(page, UiPlatform.Reader);
            Assert.Equal($"/datasets/{UiPlatform.Dataset}", new Uri(page.Url).AbsolutePath);
            await Assertions.Expect(page.Locator(".who")).ToContainTextAsync("reader · reader");
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Orleans dashboard" })).ToHaveCountAsync(0);
            await page.GotoAsync("/datasets");
            await Assertions.Expect(page.Locator("form[data-upload]")).ToHaveCountAsync(0); // no upload for a reader
        });
        await StepAsync(page, "the reader cannot open the Orleans dashboard", async () =>
        {
            var response = await page.GotoAsync("/dashboard/");
            Assert.Equal((int)HttpStatusCode.Forbidden, response!.Status);
        });
        await StepAsync(page, "sign out, and the pages ask to sign in again", async () =>
        {
            await page.GotoAsync("/");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            Assert.Equal("/sign-in", new Uri(page.Url).AbsolutePath);
            await page.GotoAsync("/datasets");
            Assert.Equal("/sign-in", new Uri(page.Url).AbsolutePath);
        });
    }

    [Fact]
    public async Task AFormWithoutTheAntiForgeryTokenIsRefusedAndTheSessionNeverOpensTheApi()
    {
        using var http = platform.CreateClient();
        var forged = await http.PostAsync("/sign-in", new FormUrlEncodedContent([new("Key", UiPlatform.Admin), new("_handler", "sign-in")]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("/sign-out", new FormUrlEncodedContent([]))).StatusCode);

        var signIn = await UiForms.SignInAsync(http, UiPlatform.Admin);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal("/", signIn.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("weather", await http.GetStringAsync("/datasets"), StringComparison.Ordinal);
        Assert.Contains("blobs-knn", await http.GetStringAsync("/experiments"), StringComparison.Ordinal);

        // An upload without the page's anti-forgery token is refused before a byte is stored.
        var upload = await http.PostAsync("/ui/upload/datasets/forged?fileName=a.csv", new StringContent("a\n1\n"));
        Assert.Equal(HttpStatusCode.BadRequest, upload.StatusCode);
        Assert.Contains("another site", await upload.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The session cookie is not an API credential: the same client (cookie and all) gets 401 from the API.
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/v1/datasets")).StatusCode);
    }

    [Fact]
    public async Task TheSessionCookieIsHttpOnlyAndSameSiteStrict()
    {
        await using var context = await platform.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = platform.Address.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/sign-in");
        await SignInAsync(page, UiPlatform.Admin);
        var session = (await context.CookiesAsync()).Single(c => c.Name == "orleansml-session");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.Equal(0, await page.EvaluateAsync<int>("document.cookie.indexOf('orleansml-session') + 1"));
    }

    private static async Task SignInAsync(IPage page, string key)
    {
        await page.GetByLabel("API key").FillAsync(key);
        // Wait for the form's own post to be answered, then for the page it leads to (a redirect, or the form with the error).
        await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(), response => response.Request.Method == "POST");
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    /// <summary>Runs one step; saves a screenshot after it, or on failure the page and its text, and says which step failed.</summary>
    private async Task StepAsync(IPage page, string step, Func<Task> action, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var file = Path.Combine(platform.Screenshots, $"{test}-{Regex.Replace(step, "[^a-zA-Z0-9]+", "-").Trim('-')}.png");
        try
        {
            await action();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
            var text = await page.InnerTextAsync("body");
            throw new InvalidOperationException($"Step '{step}' failed at {page.Url} (screenshot {file}); the page says: {text[..Math.Min(text.Length, 600)]}", e);
        }
    }
}
