using Research.Core.Environments;

namespace Research.Core.Agents;

/// <summary>
/// Model selection during training, as Stable-Baselines3's <c>EvalCallback</c> keeps its <c>best_model</c>: at each
/// <see cref="Consider"/> the agent plays <see cref="Episodes"/> deterministic episodes on a separate evaluation
/// environment from resets seeded <see cref="Seed"/> + e (seeds the final test never uses), and is saved to a
/// temporary folder when its mean return is at least every earlier one's (ties keep the later, longer-trained policy;
/// Stable-Baselines3 keeps the earlier). Evaluation neither
/// steps the training environments nor draws from the agent's generators, so the learning curve is the same with or
/// without selection. Disposing deletes the folder.
/// </summary>
public sealed class BestCheckpoint : IDisposable
{
    private readonly IEnv _env;
    private bool _saved;

    /// <summary>Selection on <paramref name="episodes"/> episodes of <paramref name="env"/> seeded <paramref name="seed"/> + e.</summary>
    public BestCheckpoint(IEnv env, int episodes, int seed)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentOutOfRangeException.ThrowIfLessThan(episodes, 1);
        _env = env;
        Episodes = episodes;
        Seed = seed;
        Folder = Path.Combine(Path.GetTempPath(), $"research-best-{Guid.NewGuid():N}");
    }

    /// <summary>The temporary folder the best policy is saved in (created at the first save, deleted by <see cref="Dispose"/>).</summary>
    public string Folder { get; }

    /// <summary>Episodes per selection evaluation.</summary>
    public int Episodes { get; }

    /// <summary>Reset seed of the first selection episode.</summary>
    public int Seed { get; }

    /// <summary>The best selection mean return so far (−∞ before the first evaluation).</summary>
    public double BestReturn { get; private set; } = double.NegativeInfinity;

    /// <summary>The agent's <see cref="IAgent.StepsDone"/> plus the steps of the current call when the best policy was saved; −1 before.</summary>
    public long BestStep { get; private set; } = -1;

    /// <summary>Every evaluation so far: (step, selection mean return).</summary>
    public List<(long Step, double MeanReturn)> History { get; } = [];

    /// <summary>Evaluates <paramref name="agent"/> at <paramref name="step"/>; saves it when it is the best so far (ties included). True when saved.</summary>
    public bool Consider(IAgent agent, long step)
    {
        double mean = AgentEvaluation.Evaluate(agent, _env, Episodes, Seed).MeanReturn;
        History.Add((step, mean));
        if (!(mean >= BestReturn)) return false;
        BestReturn = mean;
        BestStep = step;
        agent.Save(Folder);
        _saved = true;
        return true;
    }

    /// <summary>The best policy saved, reloaded (without environments: it predicts only).</summary>
    /// <exception cref="InvalidOperationException">Nothing was evaluated yet.</exception>
    public IAgent LoadBest() => _saved
        ? AgentStore.Load(Folder)
        : throw new InvalidOperationException("No policy was evaluated yet; call Consider first.");

    /// <inheritdoc />
    public void Dispose()
    {
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }
}
