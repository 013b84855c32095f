using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Research.Core.Agents;
using Research.Core.Configuration;
using Research.Core.Pipeline;
using Research.Core.Tracking;
using Research.Core.Agents.Algorithms;
using Research.Core.Environments;
using Research.Core.Environments.ClassicControl;
using Research.Core.IO;

namespace Research.Cli.Commands;

/// <summary>
/// <c>research rl validate</c>: train an agent from scratch on a classic-control task and score 10 deterministic
/// episodes; <c>research rl train</c>: train a config's agents on the hybrid trading environment.
/// </summary>
internal static class RlCommands
{
    /// <summary>The algorithms the command can build (those that exist in <c>Agents/Algorithms</c>).</summary>
    internal static readonly string[] Algorithms = ["ppo", "a2c", "sac", "td3", "ddpg", "dqn"];

    public static Command Create()
    {
        var cmd = new Command("rl", "Reinforcement-learning agents (docs/agents.md).");
        cmd.Subcommands.Add(Validate());
        cmd.Subcommands.Add(Train());
        return cmd;
    }

    /// <summary>
    /// <c>research rl train --config experiments/&lt;agent&gt;.json</c>: the pipeline up to the agents' out-of-sample
    /// metrics (data, split, features, forecaster, the config's <c>rl</c> section, backtests, benchmarks, summary), each
    /// selected agent saved as an MLflow model folder and logged with the run.
    /// </summary>
    private static Command Train()
    {
        var config = new Option<string>("--config") { Description = "Experiment config with an 'rl' section (e.g. experiments/ppo.json).", Required = true };
        var quick = new Option<bool>("--quick") { Description = "Quick mode: the rl section's quick budgets, 64×64 networks, a quick forecaster." };
        var output = new Option<string?>("--output") { Description = "Folder for run folders (default: the config's 'output', runs/)." };
        var tracking = new Option<string?>("--tracking-uri") { Description = "MLflow tracking URI (default: MLFLOW_TRACKING_URI, else ./mlruns)." };
        var noTracking = new Option<bool>("--no-tracking") { Description = "Do not log the run to MLflow." };
        var cmd = new Command("train", "Train the config's agents on the hybrid environment, select on validation, trade the test block through the backtester.")
        {
            config, quick, output, tracking, noTracking,
        };
        CommandAction.Set(cmd, (parse, stdout, _) =>
        {
            string path = parse.GetValue(config)!;
            var cfg = ConfigLoader.Load(path);
            if (!cfg.Rl.Enabled) throw new ConfigException("rl.enabled", "is false; there is nothing to train.");
            if (parse.GetValue(quick)) cfg = cfg with { Quick = true };
            if (parse.GetValue(output) is { } o) cfg = cfg with { Output = o };
            stdout.WriteLine($"research rl train: experiment '{cfg.Name}' from {Path.GetRelativePath(Directory.GetCurrentDirectory(), path)}{(cfg.Quick ? " (quick)" : "")}, seed {cfg.Seed}; agents {string.Join(", ", cfg.Rl.Agents.Select(x => x.Algo))}{(cfg.Rl.Ensemble.Enabled ? " and the ensemble" : "")}");
            using var tracker = parse.GetValue(noTracking) ? null : Tracker.FromUri(parse.GetValue(tracking), log: stdout);
            var context = new RunContext(cfg, path, RunPipeline.NewRunDirectory(cfg), stdout) { Tracker = tracker };
            new RunPipeline(RunPipeline.DefaultStages().Where(s => s is not Research.Core.Pipeline.Stages.ReportStage)).Run(context);
            foreach (var agent in cfg.Rl.Agents)
            {
                string folder = Path.Combine(context.RunDirectory, "rl", agent.Algo);
                stdout.WriteLine(context.TrackedRun is { } run
                    ? $"{agent.Algo}: model folder {folder} (runs:/{run.RunId}/rl/{agent.Algo})"
                    : $"{agent.Algo}: model folder {folder}");
            }

            return 0;
        });
        return cmd;
    }

    /// <summary>
    /// The agent for <paramref name="algo"/> on <paramref name="envId"/>: RL-Zoo's tuned hyperparameters where the zoo
    /// has them for that pair (PPO, A2C and DQN on CartPole-v1), Stable-Baselines3's defaults otherwise; seeded.
    /// </summary>
    internal static IAgent Make(string algo, string envId, int seed)
    {
        Func<int, IEnv> make = _ => ClassicControlRegistry.Make(envId);
        bool cartPole = envId == "CartPole-v1";
        return algo switch
        {
            "ppo" => new Ppo(make, (cartPole ? PpoConfig.CartPoleZoo : new PpoConfig()) with { Seed = seed }),
            "a2c" => new A2c(make, (cartPole ? A2cConfig.CartPoleZoo : new A2cConfig()) with { Seed = seed }),
            "sac" => new Sac(make, new SacConfig { Seed = seed }),
            "td3" => new Td3(make, new Td3Config { Seed = seed }),
            "ddpg" => new Ddpg(make, Td3Config.Ddpg with { Seed = seed }),
            "dqn" => new Dqn(make, (cartPole ? DqnConfig.CartPoleZoo : new DqnConfig()) with { Seed = seed }),
            _ => throw new ArgumentException($"--algo: '{algo}' is not one of {string.Join(", ", Algorithms)}."),
        };
    }

    private static Command Validate()
    {
        var algo = new Option<string>("--algo") { Description = $"One of {string.Join(", ", Algorithms)}.", Required = true };
        var env = new Option<string>("--env") { Description = $"One of {string.Join(", ", ClassicControlRegistry.Ids)}.", Required = true };
        var steps = new Option<long>("--steps") { Description = "Environment steps to train for (all copies counted).", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the agent and the environments.", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print {\"algo\", \"env\", \"steps\", \"seed\", \"mean_return\", \"std_return\", \"wall_s\", \"steps_per_s\"}." };
        var cmd = new Command("validate", "Train from scratch, then evaluate 10 deterministic episodes (seeds 1000..1009).") { algo, env, steps, seed, json };
        CommandAction.Set(cmd, (parse, stdout, stderr) =>
        {
            string a = parse.GetValue(algo)!, id = parse.GetValue(env)!;
            long n = parse.GetValue(steps);
            int s = parse.GetValue(seed);
            if (!Algorithms.Contains(a)) throw new ArgumentException($"--algo: '{a}' is not one of {string.Join(", ", Algorithms)}.");
            if (!ClassicControlRegistry.Ids.Contains(id)) throw new ArgumentException($"--env: '{id}' is not one of {string.Join(", ", ClassicControlRegistry.Ids)}.");
            if (n < 1) throw new ArgumentException("--steps must be ≥ 1.");
            bool asJson = parse.GetValue(json);
            var progress = asJson ? stderr : stdout;
            using var agent = Make(a, id, s);
            if (agent.ActionSpace is DiscreteSpace != ClassicControlRegistry.Make(id).ActionSpace is DiscreteSpace)
            {
                throw new ArgumentException($"--algo: {a} does not act in {id}'s {(agent.ActionSpace is DiscreteSpace ? "continuous" : "discrete")} action space.");
            }

            progress.WriteLine($"{a} on {id}, {n:N0} steps, seed {s}");
            var clock = Stopwatch.StartNew();
            agent.Learn(n, p => progress.WriteLine(p.ToString()));
            double wall = clock.Elapsed.TotalSeconds;
            var result = AgentEvaluation.Evaluate(agent, ClassicControlRegistry.Make(id), episodes: 10, seed: 1000);
            double mean = result.MeanReturn, std = result.StdReturn;
            if (asJson)
            {
                stdout.WriteLine(JsonSerializer.Serialize(new { algo = a, env = id, steps = n, seed = s, mean_return = mean, std_return = std, wall_s = wall, steps_per_s = n / wall }, ArtifactJson.Compact));
            }
            else
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mean return {mean:F2} ± {std:F2} over 10 deterministic episodes; {wall:F1} s, {n / wall:N0} steps/s"));
            }

            return 0;
        });
        return cmd;
    }
}
