using Microsoft.ML;
using OrleansMl.Ml.MlNet;

namespace OrleansMl.Gateway.Tests.Serving;

internal static class TestModels
{
    /// <summary>An ML.NET multiclass model over 2 features (class 1 when the first is large), as a .zip.</summary>
    public static byte[] MlNetZip()
    {
        var ml = new MLContext(seed: 42);
        var random = new Random(3);
        var features = new float[400];
        var labels = new double[200];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = i % 2;
            features[2 * i] = (float)((labels[i] * 10) + random.NextDouble());
            features[(2 * i) + 1] = (float)random.NextDouble();
        }

        var (trained, schema) = MlNetTrainer.Train(ml, "multiclass", "lbfgs_maxent", features, 2, labels, new Dictionary<string, string>());
        using var zip = new MemoryStream();
        ml.Model.Save(trained, schema, zip);
        return zip.ToArray();
    }
}
