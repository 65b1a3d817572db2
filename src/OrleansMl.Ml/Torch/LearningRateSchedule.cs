namespace OrleansMl.Ml.Torch;

/// <summary>
/// The learning rate at each optimiser step: <see cref="Kind"/> <c>constant</c>, <c>step</c> (multiplied by
/// <see cref="Gamma"/> every <see cref="StepEpochs"/> epochs) or <c>cosine</c> (from the base rate to 0 over
/// all epochs, step by step), times a linear warm-up over the first <see cref="WarmupEpochs"/> epochs.
/// </summary>
public sealed record LearningRateSchedule(string Kind, double BaseRate, int Epochs, int StepEpochs, double Gamma, double WarmupEpochs)
{
    public static readonly string[] Kinds = ["constant", "step", "cosine"];

    /// <summary>The rate for step <paramref name="step"/> (0-based) of <paramref name="stepsPerEpoch"/> a epoch.</summary>
    public double At(long step, int stepsPerEpoch)
    {
        var epoch = (double)step / stepsPerEpoch;
        var rate = Kind switch
        {
            "step" => BaseRate * Math.Pow(Gamma, Math.Floor(epoch / StepEpochs)),
            "cosine" => BaseRate * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, epoch / Epochs))),
            _ => BaseRate,
        };
        var warmupSteps = WarmupEpochs * stepsPerEpoch;
        return warmupSteps > 0 && step < warmupSteps ? rate * (step + 1) / warmupSteps : rate;
    }
}
