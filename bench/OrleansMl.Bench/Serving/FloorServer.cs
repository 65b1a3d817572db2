using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrleansMl.Bench.Serving;

/// <summary>
/// The floor of the serving bench: the minimal ASP.NET Core app a developer would write to serve an
/// ML.NET model, in this process on 127.0.0.1 (a free port). <c>POST /predict</c> takes
/// <c>{"records":[{"features":[...]}, ...]}</c> and answers <c>{"predictions":[{"label":L,"scores":[...]}, ...]}</c>,
/// one pooled PredictionEngine call per record.
/// </summary>
internal sealed class FloorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FloorServer(WebApplication app, FloorModel model, Uri baseAddress)
    {
        _app = app;
        Model = model;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public Uri PredictUrl => new(BaseAddress, "/predict");

    /// <summary>The model the server scores with, for calling it without HTTP.</summary>
    public FloorModel Model { get; }

    public static async Task<FloorServer> StartAsync(string modelPath, CancellationToken cancellationToken = default)
    {
        var model = FloorModel.Load(modelPath);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, FloorJsonContext.Default));
        builder.Services.AddSingleton(model);

        var app = builder.Build();
        app.MapPost("/predict", Predict);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new FloorServer(app, model, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Model.Dispose();
    }

    private static Results<Ok<PredictResponse>, ProblemHttpResult> Predict(PredictRequest request, FloorModel model)
    {
        if (request.Records is null)
        {
            return TypedResults.Problem("The body needs a 'records' array.", statusCode: StatusCodes.Status400BadRequest);
        }

        var predictions = new Prediction[request.Records.Count];
        for (var i = 0; i < predictions.Length; i++)
        {
            var features = request.Records[i].Features;
            if (features is null || features.Length != model.Dimension)
            {
                return TypedResults.Problem($"records[{i}].features has {features?.Length ?? 0} numbers; the model takes {model.Dimension}.", statusCode: StatusCodes.Status400BadRequest);
            }

            predictions[i] = model.Predict(features);
        }

        return TypedResults.Ok(new PredictResponse(predictions));
    }
}
