using static TorchSharp.torch;

namespace OrleansMl.Ml.Torch;

/// <summary>
/// A network of the user's own that the torch trainer builds when a run's <c>params.network</c> names it
/// (<see cref="Name"/>). Register it in every silo with <c>services.AddTorchNetwork&lt;T&gt;()</c>: runs train it,
/// and models made with it load and serve, only in processes where it is registered.
/// </summary>
/// <remarks>
/// The platform wraps it as it wraps the built-in networks: inputs are multiplied by <c>params.input_scale</c>
/// and, when the run gives <c>params.image</c> (CxHxW), reshaped to [N, C, H, W] images (else they stay [N, D]);
/// after <see cref="Build"/> it draws the weights of every <c>Linear</c> and <c>Conv2d</c> layer from the run's seed
/// (uniform ±1/√fan-in); other layers keep TorchSharp's initialisation. The model file stores the spec, so the
/// same <see cref="Build"/> must give the same layers for it when the model is loaded again.
/// </remarks>
public interface ITorchNetwork
{
    /// <summary>What <c>params.network</c> says to choose it: letters, digits and underscores, not a built-in name.</summary>
    string Name { get; }

    /// <summary>
    /// The layers for <paramref name="spec"/>: [N, D] rows (or [N, C, H, W] images) in, [N, <see cref="TorchNetworkSpec.Outputs"/>] out
    /// (logits for classification, values for regression). <see cref="TorchNetworkSpec.Hidden"/> and <see cref="TorchNetworkSpec.Dropout"/>
    /// carry <c>params.hidden</c> and <c>params.dropout</c> for it to use as it likes.
    /// </summary>
    /// <exception cref="ArgumentException">The spec does not suit the network; the message names the parameter.</exception>
    nn.Module<Tensor, Tensor> Build(TorchNetworkSpec spec);
}
