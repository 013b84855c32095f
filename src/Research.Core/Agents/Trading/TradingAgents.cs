using Research.Core.Agents.Algorithms;
using Research.Core.Configuration;
using Research.Core.Environments;

namespace Research.Core.Agents.Trading;

/// <summary>
/// Agents for the stock trading environments with FinRL's hyperparameters (<c>finrl/config.py</c>: A2C n_steps 5,
/// entropy 0.01, lr 7e-4; PPO n_steps 2048, entropy 0.01, lr 2.5e-4, batch 64; DDPG batch 128, buffer 50,000,
/// lr 1e-3; TD3 batch 100, lr 1e-3; SAC batch 64, buffer 100,000, lr 1e-4, learning starts 100, α learned from 0.1)
/// over Stable-Baselines3's defaults, with a config entry's overrides on top.
/// </summary>
public static class TradingAgents
{
    /// <summary>
    /// A new agent of <paramref name="spec"/>'s algorithm on environments from <paramref name="makeEnv"/>, seeded with
    /// <paramref name="seed"/>, reporting progress every <paramref name="progressInterval"/> steps. The replay buffer is
    /// never larger than <paramref name="steps"/> (a larger one would hold nothing more); PPO's rollout is never longer
    /// than <paramref name="rolloutSteps"/> when given (so a budget trained in short chunks still updates in each).
    /// </summary>
    public static IAgent Create(RlAgentConfig spec, Func<int, IEnv> makeEnv, int seed, long steps, bool normalize, long progressInterval, int? rolloutSteps = null)
    {
        var norm = normalize ? new NormalizationConfig() : null;
        int buffer(int size) => (int)Math.Clamp(steps, 1, size);
        Schedule? lr = spec.LearningRate is { } l ? Schedule.Constant(l) : null;
        switch (spec.Algo)
        {
            case "ppo":
            {
                var c = new PpoConfig { NSteps = Math.Clamp(rolloutSteps ?? 2048, 2, 2048), EntropyCoef = 0.01, LearningRate = Schedule.Constant(2.5e-4), BatchSize = 64 };
                c = c with
                {
                    Seed = seed, Normalize = norm, ProgressInterval = progressInterval, LearningRate = lr ?? c.LearningRate, NetArch = spec.NetArch ?? c.NetArch,
                    BatchSize = spec.BatchSize ?? c.BatchSize, EntropyCoef = spec.EntCoef ?? c.EntropyCoef,
                };
                return new Ppo(makeEnv, c);
            }

            case "a2c":
            {
                var c = new A2cConfig { NSteps = 5, EntropyCoef = 0.01, LearningRate = Schedule.Constant(7e-4) };
                c = c with
                {
                    Seed = seed, Normalize = norm, ProgressInterval = progressInterval, LearningRate = lr ?? c.LearningRate, NetArch = spec.NetArch ?? c.NetArch,
                    EntropyCoef = spec.EntCoef ?? c.EntropyCoef,
                };
                return new A2c(makeEnv, c);
            }

            case "sac":
            {
                var c = new SacConfig { BatchSize = 64, BufferSize = 100_000, LearningRate = Schedule.Constant(1e-4), LearningStarts = 100, EntCoefInit = 0.1 };
                c = c with
                {
                    Seed = seed, Normalize = norm, ProgressInterval = progressInterval, LearningRate = lr ?? c.LearningRate, NetArch = spec.NetArch ?? c.NetArch,
                    BatchSize = spec.BatchSize ?? c.BatchSize, BufferSize = buffer(c.BufferSize),
                };
                return new Sac(makeEnv, c);
            }

            case "td3":
            {
                var c = new Td3Config { BatchSize = 100, LearningRate = Schedule.Constant(1e-3) };
                c = c with
                {
                    Seed = seed, Normalize = norm, ProgressInterval = progressInterval, LearningRate = lr ?? c.LearningRate, NetArch = spec.NetArch ?? c.NetArch,
                    BatchSize = spec.BatchSize ?? c.BatchSize, BufferSize = buffer(c.BufferSize),
                };
                return new Td3(makeEnv, c);
            }

            case "ddpg":
            {
                var c = Td3Config.Ddpg with { BatchSize = 128, BufferSize = 50_000, LearningRate = Schedule.Constant(1e-3) };
                c = c with
                {
                    Seed = seed, Normalize = norm, ProgressInterval = progressInterval, LearningRate = lr ?? c.LearningRate, NetArch = spec.NetArch ?? c.NetArch,
                    BatchSize = spec.BatchSize ?? c.BatchSize, BufferSize = buffer(c.BufferSize),
                };
                return new Ddpg(makeEnv, c);
            }

            default:
                throw new ArgumentException($"Unknown algorithm '{spec.Algo}' (expected one of {string.Join(", ", RlConfig.Algorithms)}).", nameof(spec));
        }
    }
}
