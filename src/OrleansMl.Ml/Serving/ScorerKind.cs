namespace OrleansMl.Ml.Serving;

/// <summary>What a scorer predicts, and so what its scores mean.</summary>
public enum ScorerKind
{
    /// <summary>A class per row, and one probability (or score) per class.</summary>
    Multiclass,

    /// <summary>A class (0 or 1) per row, and one score: the probability of 1, or a margin.</summary>
    Binary,

    /// <summary>No class; one predicted value per row.</summary>
    Regression,
}
