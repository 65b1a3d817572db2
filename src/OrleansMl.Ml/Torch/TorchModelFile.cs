using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace OrleansMl.Ml.Torch;

/// <summary>
/// The platform's torch model format (TorchSharp has no ONNX export): the ASCII magic <c>OMLTORCH1</c>, a
/// 4-byte little-endian length, the network spec as UTF-8 JSON (<see cref="TorchNetworkSpec"/>), then the
/// weights and buffers in TorchSharp's own state format (<c>Module.save</c>: each tensor by name, in the
/// order the module registers them). Loading builds the network from the spec and reads the weights into it.
/// </summary>
public static class TorchModelFile
{
    private static readonly byte[] Magic = "OMLTORCH1"u8.ToArray();

    /// <summary>Bigger specs are not a model (the real ones are a few hundred bytes).</summary>
    private const int MaxSpecBytes = 64 * 1024;

    public static byte[] Write(TorchNetworkSpec spec, nn.Module<Tensor, Tensor> network)
    {
        using var output = new MemoryStream();
        output.Write(Magic);
        var json = JsonSerializer.SerializeToUtf8Bytes(spec);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, json.Length);
        output.Write(length);
        output.Write(json);
        network.save(output);
        return output.ToArray();
    }

    /// <summary>Reads the weights of a model file into <paramref name="network"/>, which must be built from the same spec.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a torch model, or its weights do not fit the network.</exception>
    public static void ReadWeightsInto(byte[] bytes, nn.Module<Tensor, Tensor> network)
    {
        var start = WeightsOffset(bytes);
        try
        {
            network.load(new MemoryStream(bytes, start, bytes.Length - start, writable: false));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException or IOException or FormatException)
        {
            throw new InvalidDataException($"the weights do not fit the network ({e.Message}).", e);
        }
    }

    private static int WeightsOffset(byte[] bytes)
    {
        if (bytes.Length < Magic.Length + 4 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException("not a torch model: it does not start with OMLTORCH1.");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(Magic.Length));
        return length is <= 0 or > MaxSpecBytes || length > bytes.Length - Magic.Length - 4
            ? throw new InvalidDataException("not a torch model: its network description is missing or cut short.")
            : Magic.Length + 4 + length;
    }

    /// <exception cref="InvalidDataException">The bytes are not a torch model of this format.</exception>
    public static (TorchNetworkSpec Spec, nn.Module<Tensor, Tensor> Network) Read(byte[] bytes)
    {
        var weights = WeightsOffset(bytes);
        var length = weights - Magic.Length - 4;
        TorchNetworkSpec spec;
        try
        {
            spec = JsonSerializer.Deserialize<TorchNetworkSpec>(bytes.AsSpan(Magic.Length + 4, length))
                ?? throw new InvalidDataException("not a torch model: its network description is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not a torch model: its network description is not valid JSON ({e.Message}).", e);
        }

        var parameters = new Dictionary<string, string>
        {
            ["network"] = spec.Network,
            ["hidden"] = string.Join(',', spec.Hidden),
            ["dropout"] = spec.Dropout.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["input_scale"] = spec.InputScale.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (spec.IsConvolutional)
        {
            parameters["image"] = $"{spec.Channels}x{spec.Height}x{spec.Width}";
        }

        TorchNetworkSpec checkedSpec;
        try
        {
            // The same checks a run's parameters pass: a hostile description cannot ask for a huge network.
            checkedSpec = TorchNetworkSpec.FromParameters(parameters, spec.Task ?? "", spec.InputDimension, spec.Outputs);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"not a valid torch model: {e.Message}", e);
        }

        var network = TorchNetworks.Build(checkedSpec, 0);
        try
        {
            ReadWeightsInto(bytes, network);
        }
        catch (InvalidDataException e)
        {
            network.Dispose();
            throw new InvalidDataException($"not a valid torch model: a {spec.Network} network, but {e.Message}", e);
        }

        network.eval();
        return (checkedSpec, network);
    }
}
