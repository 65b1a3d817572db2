using System.Globalization;

namespace OrleansMl.Ml.Torch;

/// <summary>
/// What network a torch model is, enough to build it again before its weights are loaded: the kind
/// (<c>mlp</c>, <c>lenet</c>, <c>resnet</c>), the input (a vector of <see cref="InputDimension"/> numbers,
/// read as <see cref="Channels"/>×<see cref="Height"/>×<see cref="Width"/> images by the convolutional
/// kinds), the hidden layer widths of an MLP, the task and its outputs (classes for multiclass, else 1),
/// dropout, and the factor every input is multiplied by first (<see cref="InputScale"/>, 1/255 for 8-bit pixels).
/// </summary>
public sealed record TorchNetworkSpec(
    string Task,
    string Network,
    int InputDimension,
    int Channels,
    int Height,
    int Width,
    int[] Hidden,
    int Outputs,
    double Dropout,
    double InputScale)
{
    public static readonly string[] Networks = ["mlp", "lenet", "resnet"];

    /// <summary>Whether rows are read as Channels×Height×Width images: the convolutional built-ins always, a registered network when given params.image.</summary>
    public bool IsConvolutional => Network != "mlp" && Channels > 0;

    /// <summary>
    /// The spec a run's parameters describe: <c>network</c> (mlp), <c>hidden</c> ("256,128"), <c>image</c>
    /// ("CxHxW", default a square one-channel image when the dimension is a square), <c>dropout</c> (0.2 for
    /// an MLP, 0.25 for LeNet, 0 for the ResNet), <c>input_scale</c> (1).
    /// </summary>
    /// <exception cref="ArgumentException">A parameter is not valid; the message names it.</exception>
    public static TorchNetworkSpec FromParameters(IReadOnlyDictionary<string, string> parameters, string task, int inputDimension, int classes)
    {
        if (task is not ("multiclass" or "binary" or "regression"))
        {
            throw new ArgumentException($"task must be multiclass, binary or regression; got '{task}'.");
        }

        if (inputDimension is < 1 or > 16_777_216 || (task == "multiclass" && classes is < 2 or > 100_000))
        {
            throw new ArgumentException($"a torch network takes 1 to 16777216 inputs and 2 to 100000 classes; got {inputDimension} inputs and {classes} classes.");
        }

        var outputs = task == "multiclass" ? classes : 1;
        var network = parameters.TryGetValue("network", out var n) ? n : "mlp";
        var registered = !Networks.Contains(network) && TorchNetworks.IsRegistered(network);
        if (!Networks.Contains(network) && !registered)
        {
            throw new ArgumentException($"params.network must be one of {string.Join(", ", Networks.Concat(TorchNetworks.RegisteredNames))}; got '{network}'.");
        }

        var hidden = parameters.TryGetValue("hidden", out var h) ? ParseHidden(h) : [256, 128];
        var (channels, height, width) = parameters.TryGetValue("image", out var image) ? ParseImage(image)
            : registered ? (0, 0, 0) // a registered network reads rows unless the run says they are images
            : SquareImage(inputDimension);
        if (network is "lenet" or "resnet" || (registered && channels > 0))
        {
            if (channels * height * width != inputDimension)
            {
                throw new ArgumentException(channels == 0
                    ? $"params.image is needed for network '{network}': the feature vector has {inputDimension} numbers, not a square image's; give its shape as CxHxW (for example 3x32x32)."
                    : $"params.image {channels}x{height}x{width} holds {channels * height * width} numbers, but the feature vector has {inputDimension}.");
            }

            if (!registered && (height < 8 || width < 8))
            {
                throw new ArgumentException($"params.image must be at least 8x8 for network '{network}'; got {height}x{width}.");
            }
        }

        var dropout = Number(parameters, "dropout", network switch { "mlp" => 0.2, "lenet" => 0.25, _ => 0 });
        if (dropout is < 0 or >= 1)
        {
            throw new ArgumentException($"params.dropout must be from 0 up to (not including) 1; got {dropout}.");
        }

        var scale = Number(parameters, "input_scale", 1);
        if (!double.IsFinite(scale) || scale == 0)
        {
            throw new ArgumentException($"params.input_scale must be a finite number other than 0; got {scale}.");
        }

        return new TorchNetworkSpec(task, network, inputDimension, channels, height, width, hidden, outputs, dropout, scale);
    }

    private static double Number(IReadOnlyDictionary<string, string> parameters, string name, double fallback) =>
        !parameters.TryGetValue(name, out var text) ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ArgumentException($"params.{name} must be a number; got '{text}'.");

    private static int[] ParseHidden(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var widths = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out widths[i]) || widths[i] is < 1 or > 16_384)
            {
                throw new ArgumentException($"params.hidden must be layer widths from 1 to 16384 separated by commas (for example 256,128); got '{text}'.");
            }
        }

        return parts.Length <= 16 ? widths : throw new ArgumentException($"params.hidden has {parts.Length} layers; at most 16.");
    }

    private static (int Channels, int Height, int Width) ParseImage(string text)
    {
        var parts = text.Split('x', StringSplitOptions.TrimEntries);
        if (parts.Length == 3
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c is >= 1 and <= 64
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h) && h is >= 1 and <= 4096
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var w) && w is >= 1 and <= 4096)
        {
            return (c, h, w);
        }

        throw new ArgumentException($"params.image must be CxHxW (channels 1-64, sides 1-4096; for example 1x28x28); got '{text}'.");
    }

    private static (int, int, int) SquareImage(int dimension)
    {
        var side = (int)Math.Round(Math.Sqrt(dimension));
        return side * side == dimension ? (1, side, side) : (0, 0, 0);
    }
}
