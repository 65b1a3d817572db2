namespace OrleansMl.Cli.Tests.Sql;

[Collection(CliPlatformCollection.Name)]
public sealed class SqlCommandTests(CliPlatformFixture platform)
{
    [Fact]
    public async Task AQueryPrintsATableJsonOrCsv()
    {
        var dataset = CliPlatformFixture.NewName("blobs");
        await platform.ExpectOkAsync("dataset", "import", dataset, "--file", platform.WriteBlobs(dataset + ".jsonl"), "--partitions", "3");
        var query = $"SELECT label, count(*) AS n FROM \"{dataset}\" GROUP BY label ORDER BY label";

        var json = (await platform.ExpectOkAsync("sql", query, "-o", "json")).Json;
        var rows = json.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("label").GetInt64(), r.GetProperty("n").GetInt64())).ToList();
        Assert.Equal([0L, 1L], rows.Select(r => r.Item1));
        Assert.Equal(300, rows.Sum(r => r.Item2));

        var csv = (await platform.ExpectOkAsync("sql", query, "-o", "csv")).Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["label,n", $"0,{rows[0].Item2}", $"1,{rows[1].Item2}"], csv);

        var table = (await platform.ExpectOkAsync("sql", query)).Out;
        Assert.Contains("2 rows from " + dataset, table, StringComparison.Ordinal);

        var copy = CliPlatformFixture.NewName("counts");
        var written = (await platform.ExpectOkAsync("sql", query, "--into", copy)).Out;
        Assert.Contains($"Wrote 2 rows to {copy} v1", written, StringComparison.Ordinal);
        Assert.Equal(json.GetProperty("rows").ToString(), (await platform.ExpectOkAsync("sql", $"SELECT * FROM \"{copy}\" ORDER BY label", "-o", "json")).Json.GetProperty("rows").ToString());
    }

    [Fact]
    public async Task AllRowsComeAsCsvPageByPage()
    {
        var dataset = CliPlatformFixture.NewName("blobs");
        await platform.ExpectOkAsync("dataset", "import", dataset, "--file", platform.WriteBlobs(dataset + ".jsonl"), "--partitions", "3");

        var lines = (await platform.ExpectOkAsync("sql", $"SELECT label FROM \"{dataset}\"", "--all", "--max-rows", "70", "-o", "csv")).Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("label", lines[0]);
        Assert.Equal(300, lines.Length - 1);
        Assert.Equal(ExitCodes.Usage, (await platform.RunAsync("sql", $"SELECT label FROM \"{dataset}\"", "--all")).ExitCode);
    }

    [Fact]
    public async Task AWrongQueryExitsRejectedAndSaysWhere()
    {
        var dataset = CliPlatformFixture.NewName("blobs");
        await platform.ExpectOkAsync("dataset", "import", dataset, "--file", platform.WriteBlobs(dataset + ".jsonl"));

        var result = await platform.RunAsync("sql", $"SELECT labl FROM \"{dataset}\"");

        Assert.Equal(ExitCodes.Rejected, result.ExitCode);
        Assert.Contains("labl", result.Err, StringComparison.Ordinal);
    }
}
