namespace Research.Core.Sweeps;

/// <summary>Factories for building a <see cref="SearchSpace"/> from C#.</summary>
public static class Param
{
    /// <summary>Uniform real on [low, high], optionally rounded to multiples of <paramref name="q"/>.</summary>
    public static FloatParameter Uniform(string key, double low, double high, double? q = null) => new(key, low, high, false, q);

    /// <summary>Log-uniform real on [low, high] (low &gt; 0), optionally rounded to multiples of <paramref name="q"/>.</summary>
    public static FloatParameter LogUniform(string key, double low, double high, double? q = null) => new(key, low, high, true, q);

    /// <summary>Integer on [low, high], optionally log-scaled or stepped by <paramref name="q"/>.</summary>
    public static IntParameter Int(string key, long low, long high, bool log = false, long? q = null) => new(key, low, high, log, q);

    /// <summary>Categorical over numbers, strings or bools.</summary>
    public static ChoiceParameter Choice(string key, params object[] values) => new(key, values);

    /// <summary>Values enumerated by <see cref="GridSearch"/>.</summary>
    public static ChoiceParameter Grid(string key, params object[] values) => new(key, values, grid: true);
}
