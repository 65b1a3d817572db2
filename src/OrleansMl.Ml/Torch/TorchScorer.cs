using OrleansMl.Ml.Serving;
using static TorchSharp.torch;

namespace OrleansMl.Ml.Torch;

/// <summary>
/// A torch model (<see cref="TorchModelFile"/>) serving rows: multiclass answers softmax probabilities,
/// binary the probability of 1, regression the value. Calls are serialised (LibTorch already spreads one
/// forward pass over the cores; the predictor grains batch requests before they come here).
/// </summary>
public sealed class TorchScorer : IScorer
{
    private readonly nn.Module<Tensor, Tensor> _network;
    private readonly Lock _lock = new();

    private TorchScorer(TorchNetworkSpec spec, nn.Module<Tensor, Tensor> network)
    {
        Spec = spec;
        _network = network;
    }

    public TorchNetworkSpec Spec { get; }

    public string InputName => "features";

    public int Dimension => Spec.InputDimension;

    public ScorerKind Kind => Spec.Task switch
    {
        "multiclass" => ScorerKind.Multiclass,
        "binary" => ScorerKind.Binary,
        _ => ScorerKind.Regression,
    };

    public int ScoreWidth => Spec.Task == "multiclass" ? Spec.Outputs : 1;

    /// <exception cref="InvalidDataException">The bytes are not a torch model.</exception>
    public static TorchScorer Load(byte[] bytes)
    {
        var (spec, network) = TorchModelFile.Read(bytes);
        return new TorchScorer(spec, network);
    }

    public void Score(ReadOnlySpan<float> features, Span<long> labels, Span<float> scores)
    {
        if (features.Length % Dimension != 0)
        {
            throw new ArgumentException($"{features.Length} values are not whole rows of {Dimension}.", nameof(features));
        }

        lock (_lock)
        {
            TorchTraining.Predict(_network, Spec, features, labels, scores);
        }
    }

    public void Dispose() => _network.Dispose();
}
