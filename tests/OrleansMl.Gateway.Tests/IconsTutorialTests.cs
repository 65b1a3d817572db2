using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansMl.Testing;

namespace OrleansMl.Gateway.Tests;

/// <summary>
/// docs/tutorials/icons.md as a test: real pictures sorted by use (Debian's Oxygen icons), uploaded as
/// a zip of class folders, k-NN trained through fitted steps, registered, deployed, asked about PNG
/// files, and the whole set batch-scored and exported as CSV.
/// </summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class IconsTutorialTests(EmbeddedPlatformFixture platform)
{
    private static readonly string[] Purposes = ["apps", "devices", "places", "status"];

    private static string NewName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A zip of icons/{purpose}/{file}.png, 32x32 icons of four purposes (symbolic links stored as the files they point to).</summary>
    private static MemoryStream IconsZip(string root)
    {
        var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var purpose in Purposes)
            {
                foreach (var file in Directory.GetFiles(Path.Combine(root, purpose), "*.png").Order(StringComparer.Ordinal))
                {
                    using var entry = archive.CreateEntry($"icons/{purpose}/{Path.GetFileName(file)}", CompressionLevel.Fastest).Open();
                    entry.Write(File.ReadAllBytes(file));
                }
            }
        }

        zip.Position = 0;
        return zip;
    }

    private static ByteArrayContent Png(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return content;
    }

    [Fact]
    public async Task IconsAreUploadedTrainedDeployedAskedAboutAsPngsAndScoredToCsv()
    {
        var root = OxygenIcons.Size("32x32");
        var dataset = NewName("icons");
        var upload = await platform.Scientist.PostAsync(
            $"/v1/datasets/{dataset}/uploads?fileName=icons.zip&imageWidth=32&imageHeight=32&imageChannels=3&wait=120", new StreamContent(IconsZip(root)));
        var imported = await upload.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(imported.GetProperty("state").GetString() == "succeeded", imported.ToString());
        var rows = imported.GetProperty("rowsRead").GetInt64();
        Assert.Equal(Purposes.Sum(p => Directory.GetFiles(Path.Combine(root, p), "*.png").Length), rows);

        // k-NN on the pixels through a fitted step; 20 % of the icons held out.
        var experiment = NewName("icons-knn");
        var spec = new
        {
            train = new { name = dataset }, labelColumn = "label", featureColumn = "features", task = "multiclass", trainer = "knn",
            @params = new { k = "1" }, steps = new[] { new { op = "assemble", columns = new[] { "pixels" }, output = "features" } },
        };
        var done = await (await platform.Scientist.PutAsJsonAsync($"/v1/experiments/{experiment}?wait=120", spec)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(done.GetProperty("state").GetString() == "succeeded", done.ToString());
        Assert.Equal(Purposes, done.GetProperty("pipeline").GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(32, done.GetProperty("pipeline").GetProperty("image").GetProperty("width").GetInt32());
        var accuracy = done.GetProperty("best").GetProperty("metrics").GetProperty("accuracy").GetDouble();
        Assert.True(accuracy > 1.0 / Purposes.Length, $"held-out accuracy {accuracy}");

        var model = NewName("icons");
        (await platform.Scientist.PostAsJsonAsync($"/v1/models/{model}/versions", new { experiment, run = 0 })).EnsureSuccessStatusCode();
        var endpoint = NewName("icons");
        (await platform.Admin.PutAsJsonAsync($"/v1/endpoints/{endpoint}", new { targets = new[] { new { model, version = 1 } } })).EnsureSuccessStatusCode();

        // A PNG file is decoded exactly as the import decoded it: the same answer as its imported pixels sent as a record.
        var head = await platform.Reader.GetFromJsonAsync<JsonElement>($"/v1/datasets/{dataset}/versions/1/head?rows=1");
        var first = head.GetProperty("rows")[0];
        var file = Path.Combine(root, first.GetProperty("path").GetString()!);
        var asImage = await (await platform.Reader.PostAsync($"/v1/endpoints/{endpoint}/predict", Png(File.ReadAllBytes(file)))).Content.ReadFromJsonAsync<JsonElement>();
        var record = $$"""{"records":[{"pixels":{{first.GetProperty("pixels").GetRawText()}}}]}""";
        var asRecord = await (await platform.Reader.PostAsync($"/v1/endpoints/{endpoint}/predict", new StringContent(record, Encoding.UTF8, "application/json"))).Content.ReadFromJsonAsync<JsonElement>();
        var answer = asImage.GetProperty("predictions")[0];
        Assert.Contains(answer.GetProperty("label").GetString(), Purposes);
        Assert.Equal(asRecord.GetProperty("predictions")[0].GetRawText(), answer.GetRawText());

        // Several files at once, as a form; a file that is not an image is a 400 that says why.
        using var form = new MultipartFormDataContent();
        foreach (var purpose in Purposes[..3])
        {
            var png = Directory.GetFiles(Path.Combine(root, purpose), "*.png").Order(StringComparer.Ordinal).First();
            form.Add(Png(File.ReadAllBytes(png)), "files", Path.GetFileName(png));
        }

        var several = await (await platform.Reader.PostAsync($"/v1/endpoints/{endpoint}/predict", form)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, several.GetProperty("predictions").GetArrayLength());
        var broken = await platform.Reader.PostAsync($"/v1/endpoints/{endpoint}/predict", Png(Encoding.UTF8.GetBytes("not a picture")));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Contains("not a PNG, JPEG, BMP or GIF image", await broken.Content.ReadAsStringAsync());
        var huge = await platform.Reader.PostAsync($"/v1/endpoints/{endpoint}/predict", Png(PngWriter.Uniform(4096, 4096, 0))); // a few KiB that would decode to 64 MiB
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        Assert.Contains("4096 x 4096 pixels", await huge.Content.ReadAsStringAsync());

        // The whole folder scored where its partitions live, then saved as CSV.
        var scored = dataset + "-scored";
        var scoring = await platform.Scientist.PostAsJsonAsync($"/v1/datasets/{dataset}/versions/latest/predictions?wait=120", new { model, columns = new[] { "path", "label" }, into = scored });
        Assert.Equal(HttpStatusCode.Accepted, scoring.StatusCode);
        Assert.Equal("succeeded", (await scoring.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        var csv = await platform.Reader.GetStringAsync($"/v1/datasets/{scored}/versions/latest/export?format=csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("path,label,prediction,prediction_class,scores", lines[0]);
        Assert.Equal(rows, lines.Length - 1);
        var right = lines.Skip(1).Select(l => l.Split(',')).Count(f => f[1] == f[2]);
        Assert.True(right >= 0.8 * rows * (1 - 0.2), $"{right} of {rows} icons scored as their own purpose"); // every training icon is its own nearest neighbour
    }
}
