using OrleansMl.Ml.Torch;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace OrleansMl.Grains.Tests.Experiments;

/// <summary>A network of the tests' own, registered in the cluster's silos: one tanh layer of params.hidden's first width.</summary>
public sealed class TanhNetwork : ITorchNetwork
{
    public string Name => "tanh_layer";

    public Module<Tensor, Tensor> Build(TorchNetworkSpec spec) => Sequential(
        ("hidden", nn.Linear(spec.InputDimension, spec.Hidden[0])), ("tanh", Tanh()), ("output", nn.Linear(spec.Hidden[0], spec.Outputs)));
}
