using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Research.Core.Agents;
using Research.Core.Configuration;
using Research.Core.Pipeline;
using Research.Core.Tracking;
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
    internal static readonly IReadOnlyList<string> Algorithms = AgentEvaluation.Algorithms;

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
            var context = new RunContext(cfg, path, RunPipeline.NewRunDirectory(cfg), stdout) { Tracker = tracker, Secrets = UserSecrets.Load() };
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

    private static Command Validate()
    {
        var algo = new Option<string?>("--algo") { Description = $"One of {string.Join(", ", Algorithms)}." };
        var env = new Option<string?>("--env") { Description = $"One of {string.Join(", ", ClassicControlRegistry.Ids)}." };
        var steps = new Option<long?>("--steps") { Description = "Environment steps to train for (all copies counted); with --all, overrides every case's budget." };
        var seed = new Option<int>("--seed") { Description = "Seed of the agent and the environments.", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print {\"algo\", \"env\", \"steps\", \"seed\", \"mean_return\", \"std_return\", \"wall_s\", \"steps_per_s\"} plus \"selected_at_step\", \"selection_evaluations\", \"last_policy_mean_return\" (with --all: {\"seed\", \"passed\", \"cases\": [...]})." };
        var doubleQ = new Option<bool>("--double-q") { Description = "DQN only: Double DQN (the online network picks the next action, the target network values it)." };
        var selectEvery = new Option<long?>("--select-every")
        {
            Description = $"Keep the policy of best mean return over {AgentEvaluation.SelectionEpisodes} deterministic episodes (reset seeds {AgentEvaluation.SelectionEvaluationSeed}..{AgentEvaluation.SelectionEvaluationSeed + AgentEvaluation.SelectionEpisodes - 1}), checked every N steps and at the end; default: at every progress report (about 15 per run); 0: score the last policy.",
        };
        var all = new Option<bool>("--all") { Description = "The full validation: every algorithm on its task with its budget and target (docs/agents.md); exit 1 if a target is missed." };
        var cmd = new Command("validate", $"Train from scratch, then evaluate 10 deterministic episodes (reset seeds {AgentEvaluation.ValidationEvaluationSeed}..{AgentEvaluation.ValidationEvaluationSeed + 9}).")
        {
            algo, env, steps, seed, json, doubleQ, selectEvery, all,
        };
        CommandAction.Set(cmd, (parse, stdout, stderr) =>
        {
            int s = parse.GetValue(seed);
            bool asJson = parse.GetValue(json), dq = parse.GetValue(doubleQ);
            long? n = parse.GetValue(steps);
            if (n is < 1) throw new ArgumentException("--steps must be ≥ 1.");
            long? select = parse.GetValue(selectEvery);
            if (select is < 0) throw new ArgumentException("--select-every must be ≥ 0 (0: score the last policy).");
            var progress = asJson ? stderr : stdout;
            if (parse.GetValue(all))
            {
                if (parse.GetValue(algo) is not null || parse.GetValue(env) is not null) throw new ArgumentException("--all: runs every algorithm on its own task; drop --algo and --env.");
                return ValidateAll(s, n, dq, select, asJson, stdout, progress);
            }

            string a = parse.GetValue(algo) ?? throw new ArgumentException("--algo is required (or --all).");
            string id = parse.GetValue(env) ?? throw new ArgumentException("--env is required (or --all).");
            if (!Algorithms.Contains(a)) throw new ArgumentException($"--algo: '{a}' is not one of {string.Join(", ", Algorithms)}.");
            if (!ClassicControlRegistry.Ids.Contains(id)) throw new ArgumentException($"--env: '{id}' is not one of {string.Join(", ", ClassicControlRegistry.Ids)}.");
            if (n is null) throw new ArgumentException("--steps is required (or --all).");
            progress.WriteLine($"{a}{(dq ? " (double Q)" : "")} on {id}, {n:N0} steps, seed {s}");
            var r = AgentEvaluation.Validate(a, id, n.Value, s, log: progress, doubleQ: dq, selectEvery: select);
            if (asJson)
            {
                stdout.WriteLine(JsonSerializer.Serialize(Row(a, r, n.Value, s), ArtifactJson.Compact));
            }
            else
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"mean return {r.Evaluation.MeanReturn:F2} ± {r.Evaluation.StdReturn:F2} over 10 deterministic episodes{Selection(r)}; {r.WallSeconds:F1} s, {n / r.WallSeconds:N0} steps/s"));
            }

            return 0;
        });
        return cmd;
    }

    /// <summary>The contract's object for one validation: algo, env, steps, seed, mean/std return, wall seconds, steps/s.</summary>
    private static Dictionary<string, object> Row(string algo, ValidationResult r, long steps, int seed) => new()
    {
        ["algo"] = algo,
        ["env"] = r.EnvId,
        ["steps"] = steps,
        ["seed"] = seed,
        ["mean_return"] = r.Evaluation.MeanReturn,
        ["std_return"] = r.Evaluation.StdReturn,
        ["wall_s"] = r.WallSeconds,
        ["steps_per_s"] = steps / r.WallSeconds,
        ["selected_at_step"] = r.SelectedAtStep,
        ["selection_evaluations"] = r.SelectionEvaluations,
        ["last_policy_mean_return"] = r.LastPolicyEvaluation.MeanReturn,
    };

    /// <summary>Where the scored policy comes from, for the text output.</summary>
    private static string Selection(ValidationResult r) => r.SelectionEvaluations == 0
        ? " (last policy)"
        : string.Create(CultureInfo.InvariantCulture,
            $" (policy selected at step {r.SelectedAtStep:N0} of {r.Steps:N0} on {r.SelectionEvaluations} selection evaluations; last policy {r.LastPolicyEvaluation.MeanReturn:F2})");

    private static int ValidateAll(int seed, long? steps, bool doubleQ, long? selectEvery, bool asJson, TextWriter stdout, TextWriter progress)
    {
        var rows = new List<Dictionary<string, object>>();
        var lines = new List<string>();
        var clock = Stopwatch.StartNew();
        var cases = AgentEvaluation.ValidationCases.Values.ToList();
        bool passed = true;
        for (int i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            long budget = steps ?? c.Steps;
            bool dq = doubleQ && c.Algo == "dqn";
            progress.WriteLine($"[{i + 1}/{cases.Count}] {c.Algo}{(dq ? " (double Q)" : "")} on {c.EnvId}, {budget:N0} steps, seed {seed}, target ≥ {c.Target}");
            var r = AgentEvaluation.Validate(c.Algo, c.EnvId, budget, seed, log: progress, doubleQ: dq, name: c.Name, selectEvery: selectEvery);
            bool ok = r.Evaluation.MeanReturn >= c.Target;
            passed &= ok;
            var row = Row(c.Algo, r, budget, seed);
            row["double_q"] = dq;
            row["target"] = c.Target;
            row["passed"] = ok;
            rows.Add(row);
            string line = string.Create(CultureInfo.InvariantCulture,
                $"{c.Algo,-5} {c.EnvId,-12} {budget,8:N0} steps  {r.Evaluation.MeanReturn,8:F1} ± {r.Evaluation.StdReturn,6:F1}  target ≥ {c.Target,5}  {(ok ? "pass" : "MISSED"),-6}  {r.WallSeconds,7:F1} s  {budget / r.WallSeconds,8:N0} steps/s  kept step {r.SelectedAtStep,7:N0} (last policy {r.LastPolicyEvaluation.MeanReturn:F1})");
            lines.Add(line);
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{i + 1}/{cases.Count}] {line}  (elapsed {clock.Elapsed.TotalSeconds:F0} s)"));
        }

        if (asJson)
        {
            stdout.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object> { ["seed"] = seed, ["passed"] = passed, ["cases"] = rows }, ArtifactJson.Compact));
        }
        else
        {
            stdout.WriteLine($"full validation, seed {seed}:");
            foreach (var line in lines) stdout.WriteLine("  " + line);
            stdout.WriteLine(passed ? "every target met" : $"{rows.Count(r => !(bool)r["passed"])} of {rows.Count} targets missed");
        }

        return passed ? 0 : 1;
    }
}
