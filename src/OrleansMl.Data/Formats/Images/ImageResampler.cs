namespace OrleansMl.Data.Formats.Images;

/// <summary>
/// Resizes channel-interleaved float images, one axis at a time: area averaging along an axis that
/// shrinks (an output pixel is the mean of the source area it covers, partly covered pixels weighted
/// by their share), bilinear interpolation along an axis that grows (pixel centres aligned, edges
/// clamped). Sums in double, so a uniform image stays exactly uniform. Keeps the weights for the
/// last sizes seen, since the images of a folder often share a size. Not thread-safe.
/// </summary>
internal sealed class ImageResampler
{
    private AxisWeights? _horizontal;
    private AxisWeights? _vertical;
    private double[] _columnsResized = [];

    public void Resize(ReadOnlySpan<float> source, int sourceWidth, int sourceHeight, int channels, Span<float> destination, int width, int height)
    {
        if (source.Length < sourceWidth * sourceHeight * channels || destination.Length < width * height * channels)
        {
            throw new ArgumentException("The buffers are smaller than the image sizes.");
        }

        var horizontal = _horizontal = AxisWeights.For(_horizontal, sourceWidth, width);
        var vertical = _vertical = AxisWeights.For(_vertical, sourceHeight, height);
        var sourceStride = sourceWidth * channels;
        var stride = width * channels;
        if (_columnsResized.Length < sourceHeight * stride)
        {
            _columnsResized = new double[sourceHeight * stride];
        }

        var temp = _columnsResized.AsSpan(0, sourceHeight * stride);
        for (var y = 0; y < sourceHeight; y++)
        {
            var sourceRow = source.Slice(y * sourceStride, sourceStride);
            var row = temp.Slice(y * stride, stride);
            for (var x = 0; x < width; x++)
            {
                var first = horizontal.First[x] * channels;
                var weights = horizontal.WeightsOf(x);
                for (var c = 0; c < channels; c++)
                {
                    var sum = 0.0;
                    for (var k = 0; k < weights.Length; k++)
                    {
                        sum += weights[k] * sourceRow[first + (k * channels) + c];
                    }

                    row[(x * channels) + c] = sum;
                }
            }
        }

        for (var y = 0; y < height; y++)
        {
            var first = vertical.First[y];
            var weights = vertical.WeightsOf(y);
            var row = destination.Slice(y * stride, stride);
            for (var i = 0; i < stride; i++)
            {
                var sum = 0.0;
                for (var k = 0; k < weights.Length; k++)
                {
                    sum += weights[k] * temp[((first + k) * stride) + i];
                }

                row[i] = (float)sum;
            }
        }
    }

    /// <summary>For each output position along one axis: the first source index and the weights from it on.</summary>
    private sealed class AxisWeights
    {
        private readonly int[] _offsets;
        private readonly double[] _weights;

        private AxisWeights(int source, int target)
        {
            Source = source;
            Target = target;
            First = new int[target];
            _offsets = new int[target + 1];
            var weights = new List<double>(target * 2);
            for (var i = 0; i < target; i++)
            {
                _offsets[i] = weights.Count;
                if (target <= source)
                {
                    AddArea(i, weights);
                }
                else
                {
                    AddBilinear(i, weights);
                }
            }

            _offsets[target] = weights.Count;
            _weights = [.. weights];
        }

        public int Source { get; }

        public int Target { get; }

        public int[] First { get; }

        public static AxisWeights For(AxisWeights? cached, int source, int target) =>
            cached is not null && cached.Source == source && cached.Target == target ? cached : new AxisWeights(source, target);

        public ReadOnlySpan<double> WeightsOf(int index) => _weights.AsSpan(_offsets[index], _offsets[index + 1] - _offsets[index]);

        private void AddArea(int index, List<double> weights)
        {
            var left = (double)index * Source / Target;
            var right = (double)(index + 1) * Source / Target;
            var first = (int)Math.Floor(left);
            var end = Math.Min(Source, (int)Math.Ceiling(right));
            var start = weights.Count;
            var total = 0.0;
            for (var j = first; j < end; j++)
            {
                var coverage = Math.Min(right, j + 1) - Math.Max(left, j);
                if (coverage <= 1e-9)
                {
                    if (weights.Count == start)
                    {
                        first++;
                    }

                    continue;
                }

                weights.Add(coverage);
                total += coverage;
            }

            First[index] = first;
            for (var k = start; k < weights.Count; k++)
            {
                weights[k] /= total;
            }
        }

        private void AddBilinear(int index, List<double> weights)
        {
            var centre = Math.Clamp(((index + 0.5) * Source / Target) - 0.5, 0, Source - 1);
            var first = (int)Math.Floor(centre);
            var fraction = centre - first;
            First[index] = first;
            if (first >= Source - 1 || fraction == 0)
            {
                weights.Add(1);
            }
            else
            {
                weights.Add(1 - fraction);
                weights.Add(fraction);
            }
        }
    }
}
