using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace OrleansMl.Ml.Torch;

/// <summary>
/// The networks the torch trainer builds from a <see cref="TorchNetworkSpec"/>. Each takes rows of
/// <see cref="TorchNetworkSpec.InputDimension"/> numbers ([N, D]), multiplies them by the input scale,
/// reads them as images ([N, C, H, W]) when convolutional, and answers [N, outputs] (logits, or values).
/// </summary>
public static class TorchNetworks
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ITorchNetwork> Registered = new(StringComparer.Ordinal);

    /// <summary>
    /// Makes a network of the user's own available to <c>params.network</c> in this process (LibTorch and the models
    /// it loads are per process). Registering the same type again does nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not valid, is a built-in network's, or another type has it.</exception>
    public static void Register(ITorchNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var name = network.Name;
        if (string.IsNullOrEmpty(name) || name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException($"A torch network's name must be 1 to 64 letters, digits or underscores; got '{name}'.", nameof(network));
        }

        if (TorchNetworkSpec.Networks.Contains(name))
        {
            throw new ArgumentException($"'{name}' is a built-in torch network; give yours another name.", nameof(network));
        }

        var added = Registered.GetOrAdd(name, network);
        if (added.GetType() != network.GetType())
        {
            throw new ArgumentException($"The torch network '{name}' is registered already, by {added.GetType().FullName}.", nameof(network));
        }
    }

    /// <summary>The networks users registered in this process, by name.</summary>
    public static IReadOnlyCollection<string> RegisteredNames => [.. Registered.Keys.Order(StringComparer.Ordinal)];

    internal static bool IsRegistered(string name) => Registered.ContainsKey(name);

    /// <summary>
    /// Builds the network with weights drawn from a generator of its own seeded with <paramref name="seed"/>:
    /// every linear and convolution layer's weights and biases uniform in ±1/√fan-in (PyTorch's default
    /// initialisation), batch norm at 1 and 0. Not LibTorch's generator: it is one per process, and any run
    /// training with dropout at the same moment draws from it, so seeding it would not make weights repeatable.
    /// </summary>
    public static Module<Tensor, Tensor> Build(TorchNetworkSpec spec, long seed)
    {
        var network = new Network(spec);
        var random = new Random(TorchSeeds.Mix(seed, 0x5EED));
        using var noGrad = no_grad();
        foreach (var module in network.modules())
        {
            var (weight, bias) = module switch
            {
                TorchSharp.Modules.Linear linear => (linear.weight, linear.bias),
                TorchSharp.Modules.Conv2d conv => (conv.weight, conv.bias),
                _ => (null, null),
            };
            if (weight is null)
            {
                continue;
            }

            var bound = 1 / Math.Sqrt(weight.numel() / weight.shape[0]);
            foreach (var parameter in new[] { weight, bias })
            {
                if (parameter is not null)
                {
                    var values = new float[parameter.numel()];
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = (float)(((random.NextDouble() * 2) - 1) * bound);
                    }

                    parameter.copy_(tensor(values).view(parameter.shape));
                }
            }
        }

        return network;
    }

    private sealed class Network : Module<Tensor, Tensor>
    {
        private readonly Module<Tensor, Tensor> body;
        private readonly double _scale;
        private readonly long[] _shape;

        public Network(TorchNetworkSpec spec)
            : base(spec.Network)
        {
            _scale = spec.InputScale;
            _shape = spec.IsConvolutional ? [-1, spec.Channels, spec.Height, spec.Width] : [-1, spec.InputDimension];
            body = spec.Network switch
            {
                "mlp" => Mlp(spec),
                "lenet" => LeNet(spec),
                "resnet" => ResNet(spec),
                _ => Registered.TryGetValue(spec.Network, out var custom)
                    ? custom.Build(spec)
                    : throw new ArgumentException($"params.network '{spec.Network}' is not a network this process knows; registered here: {string.Join(", ", RegisteredNames.DefaultIfEmpty("none"))}."),
            };
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var x = _scale == 1 ? input : input * _scale;
            return body.forward(x.reshape(_shape)).MoveToOuterDisposeScope();
        }
    }

    private static Sequential Mlp(TorchNetworkSpec spec)
    {
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        var width = spec.InputDimension;
        for (var i = 0; i < spec.Hidden.Length; i++)
        {
            layers.Add(($"linear{i}", nn.Linear(width, spec.Hidden[i])));
            layers.Add(($"relu{i}", ReLU()));
            if (spec.Dropout > 0)
            {
                layers.Add(($"dropout{i}", Dropout(spec.Dropout)));
            }

            width = spec.Hidden[i];
        }

        layers.Add(("output", nn.Linear(width, spec.Outputs)));
        return Sequential(layers);
    }

    /// <summary>Two 3×3 convolutions (32 and 64 channels) each followed by 2×2 max pooling, then 128 units and the output.</summary>
    private static Sequential LeNet(TorchNetworkSpec spec)
    {
        var flat = 64L * (spec.Height / 4) * (spec.Width / 4);
        return Sequential(
            ("conv1", Conv2d(spec.Channels, 32, 3, padding: 1)), ("relu1", ReLU()), ("pool1", MaxPool2d(2)),
            ("conv2", Conv2d(32, 64, 3, padding: 1)), ("relu2", ReLU()), ("pool2", MaxPool2d(2)),
            ("flatten", Flatten()), ("fc1", nn.Linear(flat, 128)), ("relu3", ReLU()), ("dropout", Dropout(spec.Dropout)),
            ("output", nn.Linear(128, spec.Outputs)));
    }

    /// <summary>A ResNet-8 for small images: a 16-channel stem, one basic block per stage (16, 32, 64 channels), global average pooling.</summary>
    private static Sequential ResNet(TorchNetworkSpec spec) => Sequential(
        ("stem", Conv2d(spec.Channels, 16, 3, padding: 1, bias: false)), ("stem_bn", BatchNorm2d(16)), ("stem_relu", ReLU()),
        ("stage1", new BasicBlock("stage1", 16, 16, 1)),
        ("stage2", new BasicBlock("stage2", 16, 32, 2)),
        ("stage3", new BasicBlock("stage3", 32, 64, 2)),
        ("pool", AdaptiveAvgPool2d(1)), ("flatten", Flatten()),
        ("dropout", Dropout(spec.Dropout)), ("output", nn.Linear(64, spec.Outputs)));

    private sealed class BasicBlock : Module<Tensor, Tensor>
    {
        private readonly Module<Tensor, Tensor> conv1;
        private readonly Module<Tensor, Tensor> bn1;
        private readonly Module<Tensor, Tensor> conv2;
        private readonly Module<Tensor, Tensor> bn2;
        private readonly Module<Tensor, Tensor>? shortcut;

        public BasicBlock(string name, int input, int output, int stride)
            : base(name)
        {
            conv1 = Conv2d(input, output, 3, stride: stride, padding: 1, bias: false);
            bn1 = BatchNorm2d(output);
            conv2 = Conv2d(output, output, 3, padding: 1, bias: false);
            bn2 = BatchNorm2d(output);
            shortcut = stride == 1 && input == output ? null : Sequential(Conv2d(input, output, 1, stride: stride, bias: false), BatchNorm2d(output));
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var x = functional.relu(bn1.forward(conv1.forward(input)));
            x = bn2.forward(conv2.forward(x));
            return functional.relu(x + (shortcut?.forward(input) ?? input)).MoveToOuterDisposeScope();
        }
    }
}
