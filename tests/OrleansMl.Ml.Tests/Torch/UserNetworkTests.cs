using OrleansMl.Ml.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace OrleansMl.Ml.Tests.Torch;

/// <summary>Networks of the user's own, registered by name and built by the torch trainer like the built-in ones.</summary>
public sealed class UserNetworkTests
{
    /// <summary>One 3×3 convolution of 4 channels and a linear layer: the smallest thing that reads images as images.</summary>
    private sealed class TinyConvolution : ITorchNetwork
    {
        public string Name => "tiny_convolution";

        public Module<Tensor, Tensor> Build(TorchNetworkSpec spec) => spec.Channels == 0
            ? throw new ArgumentException("params.image is needed for tiny_convolution.")
            : Sequential(
                ("conv", Conv2d(spec.Channels, 4, 3, padding: 1)), ("relu", ReLU()), ("pool", MaxPool2d(2)), ("flatten", Flatten()),
                ("output", nn.Linear(4L * (spec.Height / 2) * (spec.Width / 2), spec.Outputs)));
    }

    private sealed class Impostor : ITorchNetwork
    {
        public string Name => "tiny_convolution";

        public Module<Tensor, Tensor> Build(TorchNetworkSpec spec) => nn.Linear(spec.InputDimension, spec.Outputs);
    }

    private sealed class Named(string name) : ITorchNetwork
    {
        public string Name => name;

        public Module<Tensor, Tensor> Build(TorchNetworkSpec spec) => nn.Linear(spec.InputDimension, spec.Outputs);
    }

    /// <summary>12×12 images, dark with one bright 4×4 square in a quadrant; class = quadrant.</summary>
    private static (float[] Features, long[] Classes) Squares(int rows, int seed)
    {
        var random = new Random(seed);
        var features = new float[rows * 144];
        var classes = new long[rows];
        for (var i = 0; i < rows; i++)
        {
            var quadrant = random.Next(4);
            classes[i] = quadrant;
            var (oy, ox) = ((quadrant / 2 * 6) + random.Next(3), (quadrant % 2 * 6) + random.Next(3));
            for (var y = 0; y < 4; y++)
            {
                for (var x = 0; x < 4; x++)
                {
                    features[(i * 144) + ((oy + y) * 12) + ox + x] = 255;
                }
            }
        }

        return (features, classes);
    }

    [Fact]
    public async Task ARegisteredNetworkTrainsOnImagesAndItsModelFileLoadsAndScoresAsItDid()
    {
        TorchNetworks.Register(new TinyConvolution());
        TorchNetworks.Register(new TinyConvolution()); // again: nothing happens
        var parameters = new Dictionary<string, string> { ["network"] = "tiny_convolution", ["image"] = "1x12x12", ["input_scale"] = "0.00392156862745098" };
        var spec = TorchNetworkSpec.FromParameters(parameters, "multiclass", 144, 4);
        Assert.True(spec.IsConvolutional);
        var options = TorchTrainingOptions.FromParameters(new Dictionary<string, string> { ["epochs"] = "6", ["batch_size"] = "32", ["lr"] = "0.01" }, 3);
        var (features, classes) = Squares(800, 1);
        var (testFeatures, testClasses) = Squares(200, 2);

        using var network = TorchNetworks.Build(spec, options.Seed);
        using var twin = TorchNetworks.Build(spec, options.Seed);
        Assert.Equal(TorchModelFile.Write(spec, network), TorchModelFile.Write(spec, twin)); // the platform drew its conv and linear weights from the seed

        await TorchTraining.TrainAsync(network, spec, options, features, classes, null, null, (_, _) => Task.FromResult(true), default);
        var predicted = new long[testClasses.Length];
        var scores = new float[testClasses.Length * 4];
        network.eval();
        TorchTraining.Predict(network, spec, testFeatures, predicted, scores);
        Assert.InRange(predicted.Zip(testClasses).Count(p => p.First == p.Second) / (double)testClasses.Length, 0.9, 1.0);

        using var scorer = TorchScorer.Load(TorchModelFile.Write(spec, network));
        var loaded = new long[testClasses.Length];
        var loadedScores = new float[testClasses.Length * 4];
        scorer.Score(testFeatures, loaded, loadedScores);
        Assert.Equal(predicted, loaded);
        Assert.Equal(scores, loadedScores);
    }

    [Fact]
    public void NamesAreCheckedAndAnUnknownNetworkIsRefusedNamingTheKnownOnes()
    {
        TorchNetworks.Register(new TinyConvolution());
        Assert.Contains("registered already", Assert.Throws<ArgumentException>(() => TorchNetworks.Register(new Impostor())).Message, StringComparison.Ordinal);
        Assert.Contains("built-in", Assert.Throws<ArgumentException>(() => TorchNetworks.Register(new Named("lenet"))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => TorchNetworks.Register(new Named("no spaces")));
        Assert.Throws<ArgumentException>(() => TorchNetworks.Register(new Named("")));

        var unknown = Assert.Throws<ArgumentException>(() => TorchNetworkSpec.FromParameters(new Dictionary<string, string> { ["network"] = "transformer" }, "multiclass", 16, 3));
        Assert.Contains("params.network", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("tiny_convolution", unknown.Message, StringComparison.Ordinal);

        // Rows stay rows unless the run says they are images, and an image must hold the features.
        Assert.False(TorchNetworkSpec.FromParameters(new Dictionary<string, string> { ["network"] = "tiny_convolution" }, "multiclass", 144, 4).IsConvolutional);
        Assert.Contains("params.image", Assert.Throws<ArgumentException>(() => TorchNetworkSpec.FromParameters(
            new Dictionary<string, string> { ["network"] = "tiny_convolution", ["image"] = "1x10x10" }, "multiclass", 144, 4)).Message, StringComparison.Ordinal);
    }
}
