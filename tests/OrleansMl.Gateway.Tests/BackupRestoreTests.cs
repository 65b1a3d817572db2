using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansMl.Testing;

namespace OrleansMl.Gateway.Tests;

/// <summary>
/// A platform with a dataset, a trained experiment, a registered model and an endpoint is backed up
/// through the API, destroyed (its data directory deleted), and restored into a new empty platform
/// from a copy of the backup folder: the same statistics, runs and predictions come back.
/// </summary>
public sealed class BackupRestoreTests : IDisposable
{
    private readonly string _first = Directory.CreateTempSubdirectory("orleansml-backup-a-").FullName;
    private readonly string _second = Directory.CreateTempSubdirectory("orleansml-backup-b-").FullName;

    private const string Records = """{"records":[{"x":1.0,"y":0.5,"kind":"p"},{"x":9.0,"y":0.2,"kind":"p"},{"x":2.0,"y":0.9,"kind":"q"},{"x":4.5,"y":0.1,"kind":"p"}]}""";

    [Fact]
    public async Task ABackupRestoredIntoAnEmptyPlatformAnswersAsTheOriginalDid()
    {
        string describe, runs, predictions, workspace, artifact;
        var backup = Path.Combine(_first, "backups", "nightly");
        await using (var original = await EmbeddedPlatform.StartAsync(_first, TestKeys.Configuration()))
        {
            using var admin = original.CreateClient(TestKeys.Admin);
            await BuildAsync(admin);
            (describe, runs, predictions, workspace, artifact) = await ReadAsync(admin);

            var job = await StartAsync(admin, "backups", new { path = backup });
            Assert.Equal("succeeded", job.GetProperty("status").GetString());
            Assert.True(job.GetProperty("resources").GetInt32() >= 5); // datasets (with the experiment's split), experiment, model, endpoint, workspace
            Assert.True(job.GetProperty("files").GetInt64() > 5);
            Assert.True(File.Exists(Path.Combine(backup, "backup.json")));

            // A backup never writes into a folder that holds something, nor outside the allowed folders.
            var again = await admin.PostAsJsonAsync("/v1/admin/backups", new { path = backup });
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            var outside = await admin.PostAsJsonAsync("/v1/admin/backups", new { path = "/etc/orleansml-backup" });
            Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
            Assert.Contains("outside the folders backups may use", await outside.Content.ReadAsStringAsync());

            // Only admins back up.
            using var scientist = original.CreateClient(TestKeys.Scientist);
            Assert.Equal(HttpStatusCode.Forbidden, (await scientist.PostAsJsonAsync("/v1/admin/backups", new { path = Path.Combine(_first, "backups", "other") })).StatusCode);
        }

        // The machine is lost; the backup folder was kept elsewhere.
        var copy = Path.Combine(_second, "backups", "nightly");
        CopyFolder(backup, copy);
        Directory.Delete(_first, recursive: true);

        await using var restored = await EmbeddedPlatform.StartAsync(_second, TestKeys.Configuration());
        using var client = restored.CreateClient(TestKeys.Admin);
        var restore = await StartAsync(client, "restores", new { path = copy });
        Assert.Equal("succeeded", restore.GetProperty("status").GetString());

        var (describe2, runs2, predictions2, workspace2, artifact2) = await ReadAsync(client);
        Assert.Equal(describe, describe2);
        Assert.Equal(runs, runs2);
        Assert.Equal(predictions, predictions2);
        Assert.Equal(workspace, workspace2);
        Assert.Equal(artifact, artifact2);

        // The restored platform works on: the dataset takes a new version after the restored one.
        var transform = await client.PostAsJsonAsync("/v1/datasets/shapes/transforms?wait=60", new { steps = new[] { new { op = "filter", expression = "x > 1" } } });
        Assert.Equal(2, (await transform.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());

        // A restore needs an empty platform.
        var twice = await client.PostAsJsonAsync("/v1/admin/restores", new { path = copy });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("empty platform", await twice.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ARestoreFromAFolderWithoutACompleteBackupIsRefusedNamingWhy()
    {
        await using var platform = await EmbeddedPlatform.StartAsync(_first, TestKeys.Configuration());
        using var admin = platform.CreateClient(TestKeys.Admin);
        var empty = Directory.CreateDirectory(Path.Combine(_first, "backups", "empty")).FullName;

        var refused = await admin.PostAsJsonAsync("/v1/admin/restores", new { path = empty });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("no backup.json", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/v1/admin/restores", new { container = "backups" })).StatusCode); // local storage has no containers
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/v1/admin/restores", new { })).StatusCode);
    }

    private static async Task BuildAsync(HttpClient admin)
    {
        var random = new Random(11);
        var csv = new StringBuilder("x,y,kind,label\n");
        for (var i = 0; i < 300; i++)
        {
            var x = random.NextDouble() * 10;
            var kind = i % 3 == 0 ? "q" : "p";
            csv.Append(CultureInfo.InvariantCulture, $"{x:F3},{random.NextDouble():F3},{kind},{(x + (kind == "q" ? 4 : 0) > 5 ? "right" : "left")}\n");
        }

        (await admin.PostAsync("/v1/datasets/shapes/uploads?fileName=shapes.csv&partitions=3&wait=60", new StringContent(csv.ToString()))).EnsureSuccessStatusCode();
        var spec = new
        {
            train = new { name = "shapes" }, labelColumn = "label", featureColumn = "features", task = "multiclass", trainer = "logistic_regression",
            steps = new object[]
            {
                new { op = "one_hot", column = "kind" },
                new { op = "normalize", columns = new[] { "x", "y" }, method = "zscore" },
                new { op = "assemble", columns = new[] { "x", "y", "kind_onehot" }, output = "features" },
            },
        };
        var experiment = await (await admin.PutAsJsonAsync("/v1/experiments/sides?wait=120", spec)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("succeeded", experiment.GetProperty("state").GetString());
        (await admin.PostAsJsonAsync("/v1/models/sides/versions", new { experiment = "sides", run = 0 })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/v1/endpoints/sides", new { targets = new[] { new { model = "sides", version = 1 } } })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/v1/workspaces/team", new { description = "kept", tags = new { owner = "ml" } })).EnsureSuccessStatusCode();
        (await admin.PutAsync("/v1/artifacts/notes/readme.txt", new StringContent("a user's own file"))).EnsureSuccessStatusCode();
    }

    private static async Task<(string Describe, string Runs, string Predictions, string Workspace, string Artifact)> ReadAsync(HttpClient client)
    {
        var describe = await client.GetStringAsync("/v1/datasets/shapes/versions/1/describe");
        var runs = await client.GetStringAsync("/v1/experiments/sides/runs");
        var response = await client.PostAsync("/v1/endpoints/sides/predict", new StringContent(Records, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var predictions = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("predictions").GetRawText();
        var workspace = await client.GetStringAsync("/v1/workspaces/team");
        var artifact = await client.GetStringAsync("/v1/artifacts/notes/readme.txt");
        return (describe, runs, predictions, workspace, artifact);
    }

    private static async Task<JsonElement> StartAsync(HttpClient admin, string kind, object location)
    {
        var response = await admin.PostAsJsonAsync($"/v1/admin/{kind}?wait=120", location);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(job.GetProperty("error").ValueKind == JsonValueKind.Null, job.GetRawText());
        return job;
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose()
    {
        foreach (var folder in new[] { _first, _second })
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
