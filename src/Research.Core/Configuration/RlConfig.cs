namespace Research.Core.Configuration;

/// <summary>
/// One agent of the <c>rl</c> section: the algorithm and, optionally, its budget and the hyperparameters most often
/// changed. Anything unset takes FinRL's settings for that algorithm (<c>finrl/config.py</c>) over Stable-Baselines3's defaults.
/// </summary>
public sealed record RlAgentConfig
{
    /// <summary>"ppo", "a2c", "sac", "td3" or "ddpg".</summary>
    public string Algo { get; init; } = "ppo";

    /// <summary>Environment steps of training (full run); null: the section's <see cref="RlConfig.Steps"/>.</summary>
    public long? Steps { get; init; }

    /// <summary>Learning rate; null: FinRL's for the algorithm.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Hidden layer widths of every network; null: Stable-Baselines3's for the algorithm.</summary>
    public int[]? NetArch { get; init; }

    /// <summary>Minibatch size (PPO, SAC, TD3, DDPG); null: FinRL's.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Entropy bonus coefficient (PPO, A2C); null: FinRL's 0.01.</summary>
    public double? EntCoef { get; init; }

    /// <summary>Checks the entry at <paramref name="at"/>.</summary>
    public void Validate(string at)
    {
        if (!RlConfig.Algorithms.Contains(Algo)) throw new ConfigException($"{at}.algo", $"is '{Algo}'; expected one of {string.Join(", ", RlConfig.Algorithms)}.");
        if (Steps is < 1) throw new ConfigException($"{at}.steps", "must be ≥ 1.");
        if (LearningRate is { } lr && !(lr > 0 && lr < 1)) throw new ConfigException($"{at}.learningRate", "must be in (0, 1).");
        if (NetArch is { } arch && (arch.Length == 0 || arch.Any(w => w < 1))) throw new ConfigException($"{at}.netArch", "needs at least one layer, each ≥ 1 wide.");
        if (BatchSize is < 1) throw new ConfigException($"{at}.batchSize", "must be ≥ 1.");
        if (EntCoef is { } e && !(e >= 0)) throw new ConfigException($"{at}.entCoef", "must be ≥ 0.");
    }
}

/// <summary>FinRL's ensemble strategy (Yang et al. 2020): per rolling window, train several agents and trade the best on validation.</summary>
public sealed record RlEnsembleConfig
{
    /// <summary>Whether the run trades the ensemble.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The candidate algorithms of every window (FinRL: A2C, PPO, DDPG).</summary>
    public IReadOnlyList<string> Agents { get; init; } = ["a2c", "ppo", "ddpg"];

    /// <summary>Trading days each selected agent trades before the next selection (FinRL's rebalance_window, 63).</summary>
    public int RebalanceWindow { get; init; } = 63;

    /// <summary>Trading days just before each trading window on which the candidates are compared (FinRL's validation_window, 63).</summary>
    public int ValidationWindow { get; init; } = 63;

    /// <summary>Environment steps of training per candidate and window (full run).</summary>
    public long Steps { get; init; } = 10_000;

    /// <summary>The same in quick mode (networks are 64×64 then).</summary>
    public long QuickSteps { get; init; } = 300;

    /// <summary>Checks the section at <paramref name="at"/>.</summary>
    public void Validate(string at)
    {
        if (Agents.Count == 0) throw new ConfigException($"{at}.agents", "must name at least one algorithm.");
        for (int i = 0; i < Agents.Count; i++)
        {
            if (!RlConfig.Algorithms.Contains(Agents[i])) throw new ConfigException($"{at}.agents[{i}]", $"is '{Agents[i]}'; expected one of {string.Join(", ", RlConfig.Algorithms)}.");
        }

        if (RebalanceWindow < 2) throw new ConfigException($"{at}.rebalanceWindow", "must be ≥ 2 days.");
        if (ValidationWindow < 2) throw new ConfigException($"{at}.validationWindow", "must be ≥ 2 days.");
        if (Steps < 1 || QuickSteps < 1) throw new ConfigException($"{at}.steps", "steps and quickSteps must be ≥ 1.");
    }
}

/// <summary>
/// The <c>rl</c> section: reinforcement-learning agents trading the hybrid environment (FinRL's state plus the
/// forecaster's signals). Each agent trains on the train block, is selected on the validation block only, and trades
/// the test block through the backtester; FinRL's ensemble trades the test block window by window.
/// </summary>
public sealed record RlConfig
{
    /// <summary>The algorithms the section accepts.</summary>
    public static IReadOnlyList<string> Algorithms { get; } = ["ppo", "a2c", "sac", "td3", "ddpg"];

    /// <summary>Whether <c>research run</c> trains and trades agents.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The agents trained on the train block and traded over the test block.</summary>
    public IReadOnlyList<RlAgentConfig> Agents { get; init; } =
        [new() { Algo = "ppo" }, new() { Algo = "a2c" }, new() { Algo = "sac" }, new() { Algo = "td3" }, new() { Algo = "ddpg" }];

    /// <summary>Environment steps of training per agent (full run), unless the agent sets its own.</summary>
    public long Steps { get; init; } = 50_000;

    /// <summary>Environment steps per agent in quick mode (CI and notebooks; networks are 64×64 then).</summary>
    public long QuickSteps { get; init; } = 1_000;

    /// <summary>
    /// Checkpoints per agent scored on the validation block (evenly spaced over training, the last at the end); the
    /// one with the best validation Sharpe trades the test block. Every checkpoint counts as a trial for the deflated Sharpe.
    /// </summary>
    public int Checkpoints { get; init; } = 5;

    /// <summary>Largest trade per ticker per day, in shares (FinRL's hmax).</summary>
    public int HMax { get; init; } = 100;

    /// <summary>Reward = change in account value × this (FinRL's reward_scaling).</summary>
    public double RewardScaling { get; init; } = 1e-4;

    /// <summary>Feature columns in the state (FinRL's eight by default), normalised as the features stage fitted them on the train block.</summary>
    public IReadOnlyList<string> Indicators { get; init; } = ["macd", "boll_ub", "boll_lb", "rsi_30", "cci_30", "dx_30", "close_30_sma", "close_60_sma"];

    /// <summary>Running normalisation of observations and rewards inside the agents (Stable-Baselines3's VecNormalize), fitted while training only.</summary>
    public bool Normalize { get; init; } = true;

    /// <summary>FinRL's ensemble strategy.</summary>
    public RlEnsembleConfig Ensemble { get; init; } = new();

    /// <summary>Steps of <paramref name="agent"/> for a full or quick run.</summary>
    public long StepsOf(RlAgentConfig agent, bool quick) => quick ? Math.Min(QuickSteps, agent.Steps ?? QuickSteps) : agent.Steps ?? Steps;

    /// <summary>Checks every setting; the message names the bad one.</summary>
    public void Validate(string at)
    {
        for (int i = 0; i < Agents.Count; i++) Agents[i].Validate($"{at}.agents[{i}]");
        var twice = Agents.GroupBy(a => a.Algo).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ConfigException($"{at}.agents", $"names '{twice.Key}' twice; each algorithm trades once (its curve is named after it).");
        if (Steps < 1 || QuickSteps < 1) throw new ConfigException($"{at}.steps", "steps and quickSteps must be ≥ 1.");
        if (Checkpoints < 1) throw new ConfigException($"{at}.checkpoints", "must be ≥ 1.");
        if (HMax < 1) throw new ConfigException($"{at}.hMax", "must be ≥ 1 share.");
        if (!(RewardScaling > 0) || double.IsInfinity(RewardScaling)) throw new ConfigException($"{at}.rewardScaling", "must be a positive number.");
        Ensemble.Validate($"{at}.ensemble");
    }
}
