using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Runtime.Placement;
using OrleansMl.Data.Transforms;
using OrleansMl.Datasets;
using OrleansMl.Experiments;
using OrleansMl.Experiments.Trainers;
using OrleansMl.Serving;

namespace Microsoft.Extensions.DependencyInjection;

public static class DatasetServiceCollectionExtensions
{
    /// <summary>
    /// What the grains need in a silo: the dataset importer, the SQL queries running, the user-defined transform registry,
    /// partition placement, the trainers, and the model loader, cache and start-up warm-up of the predictors.
    /// </summary>
    public static IServiceCollection AddOrleansMlDatasets(this IServiceCollection services)
    {
        services.TryAddSingleton<DatasetImporter>();
        services.TryAddSingleton<OrleansMl.Sql.RunningQueries>();
        services.TryAddSingleton<PartitionTransformRegistry>();
        services.AddPlacementDirector<PartitionPlacementStrategy, PartitionPlacementDirector>();
        services.AddMetrics();
        services.AddSingleton<PartitionCacheBudget>();
        services.AddSingleton<OrleansMl.Telemetry.PlatformMetrics>();
        services.TryAddSingleton<TrainerRegistry>();
        services.AddSingleton<IRunTrainer, KnnTrainer>();
        services.AddSingleton<IRunTrainer, MlNetRunTrainer>();
        services.AddSingleton<IRunTrainer, TreeEnsembleTrainer>();
        services.AddSingleton<IRunTrainer, TorchRunTrainer>();
        services.AddSingleton<IRunTrainer>(new LinearTrainer("logistic_regression", ["multiclass", "binary"]));
        services.AddSingleton<IRunTrainer>(new LinearTrainer("linear_svm", ["binary"]));
        services.AddSingleton<IRunTrainer>(new LinearTrainer("linear_regression", ["regression"]));
        services.TryAddSingleton<ModelLoader>();
        services.TryAddSingleton<PredictorCache>();
        services.TryAddSingleton<ISiloPredictors>(sp => sp.GetRequiredService<PredictorCache>());
        services.TryAddSingleton<EndpointWarmup>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<EndpointWarmup>());
        services.AddPlacementDirector<SiloPlacementStrategy, SiloPlacementDirector>();
        services.AddOptions<ServingOptions>();
        services.AddOptions<OrleansMl.Sql.SqlOptions>();
        return services;
    }

    /// <summary>
    /// Registers a user-defined partition transform, callable from a transform step
    /// <c>{"op": "udf", "name": "...", "args": {...}}</c>. Register it in every silo.
    /// </summary>
    public static IServiceCollection AddPartitionTransform<T>(this IServiceCollection services)
        where T : class, IPartitionTransform
    {
        services.AddSingleton<IPartitionTransform, T>();
        return services;
    }

    /// <summary>
    /// Registers a network of the user's own for the torch trainer, chosen by <c>params.network</c> = its name
    /// (<see cref="OrleansMl.Ml.Torch.ITorchNetwork"/>). Register it in every silo: runs train it, and its models load and serve,
    /// where it is registered. Networks belong to the process, as LibTorch does.
    /// </summary>
    public static IServiceCollection AddTorchNetwork<T>(this IServiceCollection services)
        where T : OrleansMl.Ml.Torch.ITorchNetwork, new()
    {
        OrleansMl.Ml.Torch.TorchNetworks.Register(new T());
        return services;
    }
}
