namespace OrleansMl.Client.Tests.Serving;

[Collection(PlatformCollection.Name)]
public sealed class ServingClientTests(PlatformFixture platform)
{
    private static readonly float[][] TwoRows = [[0.2f, 0.4f], [10.1f, 9.8f]];

    [Fact]
    public async Task TheBestRunIsRegisteredAliasedServedAndAnswersPredictAndInfer()
    {
        var dataset = await TwoBlobs.UploadAsync(platform.Scientist);
        var experiment = TwoBlobs.NewName("exp");
        var trained = await platform.Scientist.Experiments.StartAsync(experiment, TwoBlobs.KnnSpec(dataset), wait: TimeSpan.FromSeconds(120));
        Assert.Equal("succeeded", trained.State);

        var model = TwoBlobs.NewName("model");
        var registered = await platform.Scientist.Models.RegisterAsync(model, ModelSource.FromRun(experiment, trained.Best!.Index));
        Assert.Equal((1, "knn"), (registered.Version, registered.Flavor));
        Assert.Equal(experiment, registered.Lineage?.Experiment);
        Assert.Equal(new DatasetColumn("features", "vector", 2), Assert.Single(registered.Inputs));

        var aliased = await platform.Admin.Models.SetAliasAsync(model, "production", registered.Version);
        Assert.Equal(1, aliased.Aliases["production"]);
        Assert.Equal("admin", Assert.Single(aliased.History).By);
        Assert.Contains(model, await platform.Reader.Models.ListAsync());

        var endpoint = TwoBlobs.NewName("ep");
        var deployed = await platform.Admin.Endpoints.SetAsync(endpoint, new EndpointSpec([new EndpointTarget(model, Alias: "production")]));
        Assert.Equal(1, deployed.Revision);
        var route = Assert.Single(deployed.Routes);
        Assert.Equal((model, 1, "knn"), (route.Model, route.Version, route.Flavor));
        Assert.Equal(deployed.Revision, (await platform.Reader.Endpoints.GetAsync(endpoint)).Revision);
        Assert.Single(await platform.Reader.Endpoints.GetHistoryAsync(endpoint));
        Assert.Contains(endpoint, await platform.Reader.Endpoints.ListAsync());

        var predicted = await platform.Reader.Endpoints.PredictAsync(endpoint, "features", TwoRows);
        Assert.Equal((endpoint, model, 1), (predicted.Endpoint, predicted.Model, predicted.Version));
        Assert.Equal([0L, 1L], predicted.Predictions.Select(p => p.ClassIndex!.Value));
        Assert.True(predicted.Predictions[1].Scores![1] > 0.9f);

        var inferred = await platform.Reader.Endpoints.InferAsync(
            endpoint, new InferenceRequest("42", [InferenceTensor.Fp32("features", TwoRows)], [new RequestedOutput("label")]));
        Assert.Equal((endpoint, "1", "42"), (inferred.ModelName, inferred.ModelVersion, inferred.Id));
        var labels = Assert.Single(inferred.Outputs);
        Assert.Equal(("label", "INT64"), (labels.Name, labels.Datatype));
        Assert.Equal([0L, 1L], labels.ToInt64s());

        var pinned = await platform.Reader.Endpoints.InferAsync(endpoint, new InferenceRequest(null, [InferenceTensor.Fp32("features", TwoRows)]), version: 1);
        var scores = pinned.Outputs.Single(o => o.Name == "scores");
        Assert.Equal([2L, 2L], scores.Shape);
        Assert.Equal(4, scores.ToSingles().Length);

        // A row of the wrong length is a 400 that names the record's field.
        var problem = await Assert.ThrowsAsync<OrleansMlApiException>(() => platform.Reader.Endpoints.PredictAsync(endpoint, "features", [[1f, 2f, 3f]]));
        Assert.Equal(400, problem.StatusCode);
        Assert.Contains("records[0].features", problem.Problem.Errors.Keys);

        await platform.Admin.Endpoints.DeleteAsync(endpoint);
        Assert.Equal(404, (await Assert.ThrowsAsync<OrleansMlApiException>(() => platform.Reader.Endpoints.GetAsync(endpoint))).StatusCode);
        var removed = await platform.Admin.Models.RemoveAliasAsync(model, "production");
        Assert.Empty(removed.Aliases);
    }
}
