namespace Research.Core.Agents.Buffers;

/// <summary>
/// On-policy storage for PPO and A2C: <see cref="Steps"/> × <see cref="Envs"/> transitions in preallocated flat arrays
/// laid out [step, env] (row <c>step * Envs + env</c>), with GAE-λ advantages and λ-returns computed in place.
/// </summary>
public sealed class RolloutBuffer
{
    /// <summary>Storage for <paramref name="steps"/> steps of <paramref name="envs"/> copies.</summary>
    public RolloutBuffer(int steps, int envs, int observationSize, int actionSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(envs, 1);
        Steps = steps;
        Envs = envs;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        int n = steps * envs;
        Observations = new float[n * observationSize];
        Actions = new float[n * actionSize];
        Rewards = new float[n];
        EpisodeStarts = new float[n];
        Values = new float[n];
        LogProbs = new float[n];
        Advantages = new float[n];
        Returns = new float[n];
    }

    /// <summary>Steps per copy.</summary>
    public int Steps { get; }

    /// <summary>Environment copies.</summary>
    public int Envs { get; }

    /// <summary>Floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Floats per action.</summary>
    public int ActionSize { get; }

    /// <summary>Transitions held when full (<see cref="Steps"/> × <see cref="Envs"/>).</summary>
    public int Capacity => Steps * Envs;

    /// <summary>Steps added since <see cref="Reset"/>.</summary>
    public int Position { get; private set; }

    /// <summary>True once <see cref="Steps"/> steps are stored.</summary>
    public bool Full => Position == Steps;

    /// <summary>Observations the actions were chosen on (normalised, as the policy saw them).</summary>
    public float[] Observations { get; }

    /// <summary>Actions taken (before clipping to the action space).</summary>
    public float[] Actions { get; }

    /// <summary>Rewards (normalised, and with the bootstrapped value of truncated episodes added).</summary>
    public float[] Rewards { get; }

    /// <summary>1 where the observation is an episode's first.</summary>
    public float[] EpisodeStarts { get; }

    /// <summary>V(s) when the action was chosen.</summary>
    public float[] Values { get; }

    /// <summary>log π(a|s) when the action was chosen.</summary>
    public float[] LogProbs { get; }

    /// <summary>GAE-λ advantages (after <see cref="ComputeReturnsAndAdvantage"/>).</summary>
    public float[] Advantages { get; }

    /// <summary>λ-returns: advantages + values (the value targets).</summary>
    public float[] Returns { get; }

    /// <summary>Empties the buffer (the arrays are reused).</summary>
    public void Reset() => Position = 0;

    /// <summary>Stores one step of every copy.</summary>
    public void Add(ReadOnlySpan<float> observations, ReadOnlySpan<float> actions, ReadOnlySpan<float> rewards, ReadOnlySpan<bool> episodeStarts,
        ReadOnlySpan<float> values, ReadOnlySpan<float> logProbs)
    {
        if (Full) throw new InvalidOperationException($"The rollout buffer is full ({Steps} steps); call Reset first.");
        int row = Position * Envs;
        observations[..(Envs * ObservationSize)].CopyTo(Observations.AsSpan(row * ObservationSize));
        actions[..(Envs * ActionSize)].CopyTo(Actions.AsSpan(row * ActionSize));
        rewards[..Envs].CopyTo(Rewards.AsSpan(row));
        values[..Envs].CopyTo(Values.AsSpan(row));
        logProbs[..Envs].CopyTo(LogProbs.AsSpan(row));
        for (int e = 0; e < Envs; e++) EpisodeStarts[row + e] = episodeStarts[e] ? 1f : 0f;
        Position++;
    }

    /// <summary>
    /// GAE-λ (Schulman et al. 2015) backwards over the stored steps, bootstrapping from <paramref name="lastValues"/> =
    /// V(s) of the observations after the last step unless that step ended the copy's episode (<paramref name="dones"/>):
    /// δ = r + γ V' (1 − done') − V, A = δ + γ λ (1 − done') A'. λ = 1 gives Monte-Carlo advantages, λ = 0 TD(0).
    /// </summary>
    public void ComputeReturnsAndAdvantage(ReadOnlySpan<float> lastValues, ReadOnlySpan<bool> dones, double gamma, double lambda)
    {
        int steps = Position;
        for (int e = 0; e < Envs; e++)
        {
            double lastGae = 0;
            for (int t = steps - 1; t >= 0; t--)
            {
                int i = t * Envs + e;
                double nextNonTerminal, nextValue;
                if (t == steps - 1)
                {
                    nextNonTerminal = dones[e] ? 0 : 1;
                    nextValue = lastValues[e];
                }
                else
                {
                    nextNonTerminal = 1 - EpisodeStarts[i + Envs];
                    nextValue = Values[i + Envs];
                }

                double delta = Rewards[i] + gamma * nextValue * nextNonTerminal - Values[i];
                lastGae = delta + gamma * lambda * nextNonTerminal * lastGae;
                Advantages[i] = (float)lastGae;
                Returns[i] = (float)(lastGae + Values[i]);
            }
        }
    }
}
