using System.Text.Json;
using Research.Core.IO;

namespace Research.Core.Agents.Normalization;

/// <summary>Saved statistics of a <see cref="VecNormalizer"/>.</summary>
/// <param name="ObservationMean">Observations' running mean.</param>
/// <param name="ObservationVar">Observations' running variance.</param>
/// <param name="ObservationCount">Observations seen.</param>
/// <param name="ReturnVar">The discounted return's running variance.</param>
/// <param name="ReturnCount">Returns seen.</param>
public sealed record NormalizerState(double[] ObservationMean, double[] ObservationVar, double ObservationCount, double ReturnVar, double ReturnCount);

/// <summary>
/// Stable-Baselines3's <c>VecNormalize</c> over a batch of environment copies: observations become
/// clip((x − μ)/√(σ² + ε)) with running statistics, rewards are divided by the running standard deviation of each
/// copy's discounted return (and clipped). Statistics update only while <see cref="Training"/>.
/// </summary>
public sealed class VecNormalizer
{
    private readonly double[] _returns;
    private readonly double[] _scratch;

    /// <summary>A normaliser for <paramref name="copies"/> environments with observations of <paramref name="observationSize"/> floats.</summary>
    public VecNormalizer(NormalizationConfig config, int observationSize, int copies, double gamma)
    {
        Config = config;
        Gamma = gamma;
        Observations = new RunningMeanStd(observationSize);
        Returns = new RunningMeanStd(1);
        _returns = new double[copies];
        _scratch = new double[copies];
    }

    /// <summary>The settings.</summary>
    public NormalizationConfig Config { get; }

    /// <summary>Discount of the return whose spread scales the rewards.</summary>
    public double Gamma { get; }

    /// <summary>Update the statistics (off for evaluation).</summary>
    public bool Training { get; set; } = true;

    /// <summary>The observations' statistics.</summary>
    public RunningMeanStd Observations { get; }

    /// <summary>The discounted returns' statistics.</summary>
    public RunningMeanStd Returns { get; }

    /// <summary>Updates the observation statistics with <paramref name="rows"/> raw observations (when training and normalising observations).</summary>
    public void Observe(ReadOnlySpan<float> raw, int rows)
    {
        if (Training && Config.Observations) Observations.Update(raw, rows);
    }

    /// <summary>Writes the normalised <paramref name="raw"/> observations (any number of rows) into <paramref name="normalized"/>.</summary>
    public void NormalizeObservations(ReadOnlySpan<float> raw, Span<float> normalized)
    {
        if (!Config.Observations)
        {
            raw.CopyTo(normalized);
            return;
        }

        int size = Observations.Size;
        double clip = Config.ClipObservations, eps = Config.Epsilon;
        var mean = Observations.Mean;
        var variance = Observations.Var;
        for (int i = 0; i < raw.Length; i++)
        {
            int j = i % size;
            double v = (raw[i] - mean[j]) / Math.Sqrt(variance[j] + eps);
            normalized[i] = (float)Math.Clamp(v, -clip, clip);
        }
    }

    /// <summary>
    /// Scales one step's <paramref name="rewards"/> in place (when normalising rewards): updates each copy's discounted
    /// return and its statistics, divides, clips, then zeroes the return of copies whose episode ended.
    /// </summary>
    public void NormalizeRewards(Span<float> rewards, ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated)
    {
        if (!Config.Rewards) return;
        if (Training)
        {
            for (int i = 0; i < rewards.Length; i++) _scratch[i] = _returns[i] = _returns[i] * Gamma + rewards[i];
            Returns.Update(_scratch.AsSpan(0, rewards.Length));
        }

        double scale = Math.Sqrt(Returns.Var[0] + Config.Epsilon), clip = Config.ClipRewards;
        for (int i = 0; i < rewards.Length; i++)
        {
            rewards[i] = (float)Math.Clamp(rewards[i] / scale, -clip, clip);
            if (terminated[i] || truncated[i]) _returns[i] = 0;
        }
    }

    /// <summary>Scales stored raw rewards with the current return statistics, without updating them (off-policy sampling).</summary>
    public void ScaleRewards(Span<float> rewards)
    {
        if (!Config.Rewards) return;
        double scale = Math.Sqrt(Returns.Var[0] + Config.Epsilon), clip = Config.ClipRewards;
        for (int i = 0; i < rewards.Length; i++) rewards[i] = (float)Math.Clamp(rewards[i] / scale, -clip, clip);
    }

    /// <summary>The statistics, for saving.</summary>
    public NormalizerState State() => new([.. Observations.Mean], [.. Observations.Var], Observations.Count, Returns.Var[0], Returns.Count);

    /// <summary>Restores saved statistics.</summary>
    public void Restore(NormalizerState state)
    {
        if (state.ObservationMean.Length != Observations.Size) throw new InvalidDataException($"Saved observation statistics have {state.ObservationMean.Length} components; expected {Observations.Size}.");
        state.ObservationMean.CopyTo(Observations.Mean, 0);
        state.ObservationVar.CopyTo(Observations.Var, 0);
        Observations.Count = state.ObservationCount;
        Returns.Var[0] = state.ReturnVar;
        Returns.Count = state.ReturnCount;
    }

    /// <summary>Writes the statistics as JSON.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(State(), ArtifactJson.Compact));

    /// <summary>Reads statistics written by <see cref="Save"/>.</summary>
    public void Load(string path) => Restore(JsonSerializer.Deserialize<NormalizerState>(File.ReadAllText(path), ArtifactJson.Compact) ?? throw new InvalidDataException($"{path} is empty."));
}
