namespace Research.Core.Environments;

/// <summary>What <see cref="IEnv.Step"/> returned besides the observation (Gymnasium's reward, terminated, truncated).</summary>
/// <param name="Reward">The step's reward.</param>
/// <param name="Terminated">The episode reached a terminal state of the task (the value beyond it is 0).</param>
/// <param name="Truncated">The episode was cut short from outside the task (a time limit): the value beyond it is not 0.</param>
public readonly record struct StepOutcome(double Reward, bool Terminated, bool Truncated)
{
    /// <summary>Terminated or truncated: the next call must be <see cref="IEnv.Reset"/>.</summary>
    public bool Done => Terminated || Truncated;
}

/// <summary>
/// A Gymnasium-style environment that writes into caller-owned buffers, so agents collect experience without allocating:
/// <see cref="Reset"/> and <see cref="Step"/> write the observation (float32, <see cref="ObservationSpace"/>'s flat size)
/// into the span they are given. A discrete action is passed as its index in <c>action[0]</c>. Gymnasium's <c>info</c>
/// is <see cref="Info"/>, built on request (it allocates; not for hot loops).
/// </summary>
public interface IEnv
{
    /// <summary>Gymnasium id or a descriptive name (e.g. "CartPole-v1", "StockTrading").</summary>
    string Id { get; }

    /// <summary>The observations' space.</summary>
    Space ObservationSpace { get; }

    /// <summary>The actions' space.</summary>
    Space ActionSpace { get; }

    /// <summary>
    /// Starts an episode and writes its first observation. A seed re-seeds the environment's random generator (same
    /// seed → same episode); null continues the current generator, as Gymnasium does.
    /// </summary>
    void Reset(int? seed, Span<float> observation);

    /// <summary>Applies <paramref name="action"/>, writes the next observation, returns the reward and the episode's end flags.</summary>
    StepOutcome Step(ReadOnlySpan<float> action, Span<float> observation);

    /// <summary>Gymnasium's info dictionary for the current state (allocates).</summary>
    IReadOnlyDictionary<string, object> Info();
}
