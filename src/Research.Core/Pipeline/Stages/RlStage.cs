using System.Diagnostics;
using System.Globalization;
using System.Text;
using Research.Core.Agents;
using Research.Core.Agents.Trading;
using Research.Core.Configuration;
using Research.Core.Data.Splits;
using Research.Core.Environments;
using Research.Core.Environments.Trading;
using Research.Core.Models;

namespace Research.Core.Pipeline.Stages;

/// <summary>
/// Reinforcement learning on the hybrid environment (FinRL's state plus the forecaster's expected return, probability
/// up and confidence), in backtest-grade mode (the backtester's costs and risk limits) with the run's turbulence
/// threshold. Each configured agent trains on the train block; checkpoints are scored on the validation block only and
/// the best one trades the test block through the backtester (registered in <see cref="RunContext.Strategies"/>).
/// FinRL's ensemble walks the test block in windows: before each, every candidate trains on all days before the window's
/// validation days, the best validation Sharpe trades the window. Every validation score is a trial of the deflated Sharpe.
/// </summary>
public sealed class RlStage : IRunStage
{
    /// <summary>Curve name prefix of the agents ("rl-ppo", ...).</summary>
    public const string CurvePrefix = "rl-";

    /// <summary>Curve name of FinRL's ensemble.</summary>
    public const string EnsembleCurve = "rl-ensemble";

    /// <summary>
    /// Bars of the training block a quick run trains on (its last year: 252 daily bars, or a year of intraday bars), so a
    /// small budget still sees whole episodes.
    /// </summary>
    public static int QuickTrainBars(Data.TradingCalendar calendar) => (int)calendar.PeriodsPerYear;

    /// <inheritdoc />
    public string Name => "rl";

    /// <inheritdoc />
    public void Run(RunContext context)
    {
        var cfg = context.Config.Rl;
        if (!cfg.Enabled)
        {
            context.Log.WriteLine("  rl disabled in the config");
            return;
        }

        var setup = Setup.Create(context);
        context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {setup.Name}: {setup.Tickers} tickers, state {setup.StateSize}, hmax {cfg.HMax}, costs and risk limits of the backtest, turbulence threshold {(double.IsNaN(setup.Env.TurbulenceThreshold) ? "off" : setup.Env.TurbulenceThreshold.ToString("F1", CultureInfo.InvariantCulture))}; training days {setup.Calendar[setup.TrainStart]:yyyy-MM-dd}..{setup.Calendar[setup.TrainEnd - 1]:yyyy-MM-dd}{(context.Config.Quick ? " (quick: the train block's last year)" : "")}"));
        var trials = new List<double>();
        var report = new StringBuilder("# Reinforcement learning\n\n");
        report.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Environment: {setup.Name}, {setup.Tickers} tickers, state {setup.StateSize}; trained on {setup.Calendar[setup.TrainStart]:yyyy-MM-dd}..{setup.Calendar[setup.TrainEnd - 1]:yyyy-MM-dd}, selected on validation {setup.Calendar[setup.Split.Validation.Start]:yyyy-MM-dd}..{setup.Calendar[setup.Split.Validation.End - 1]:yyyy-MM-dd}, traded over the test block through the backtester."));
        report.AppendLine();
        report.AppendLine("| agent | steps | train s | steps/s | checkpoint validation Sharpes (annualised) | selected |");
        report.AppendLine("|---|---:|---:|---:|---|---:|");
        var curves = new StringBuilder("agent,steps,episodes,episode_return_mean,validation_sharpe\n"); // validation rows: Sharpe only
        var strategies = new List<AgentStrategy>();
        foreach (var spec in cfg.Agents)
        {
            var trained = TrainSelected(context, setup, spec, trials, curves);
            report.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {spec.Algo.ToUpperInvariant()} | {trained.Steps:N0} | {trained.Seconds:F1} | {trained.Steps / Math.Max(trained.Seconds, 1e-9):N0} | {string.Join(", ", trained.Sharpes.Select(s => (s * Math.Sqrt(context.PeriodsPerYear)).ToString("F2", CultureInfo.InvariantCulture)))} | {trained.Best + 1} |"));
            strategies.Add(new AgentStrategy(CurvePrefix + spec.Algo, setup.Test, cfg.HMax, [new AgentSegment(setup.Split.Test.Start, trained.Agent, spec.Algo.ToUpperInvariant())]));
        }

        if (cfg.Ensemble.Enabled) strategies.Add(Ensemble(context, setup, trials, report));

        foreach (var s in strategies)
        {
            context.Strategies.Add(s);
            context.Trials[s.Name] = [.. trials];
        }

        context.Metrics["rl.trials"] = trials.Count;
        context.WriteArtifact("rl.md", report.ToString());
        context.WriteArtifact("rl-learning.csv", curves.ToString());
        context.Log.WriteLine($"  {strategies.Count} RL strategies registered for the backtest; {trials.Count} validation trials (the deflated Sharpe's N)");
    }

    /// <summary>Quick mode's smaller networks (64×64 for every algorithm), as the forecaster's quick mode shrinks its model.</summary>
    private static RlAgentConfig Sized(RlAgentConfig spec, bool quick) => quick ? spec with { NetArch = [64, 64] } : spec;

    private sealed record Trained(IAgent Agent, long Steps, double Seconds, double[] Sharpes, int Best);

    private static Trained TrainSelected(RunContext context, Setup setup, RlAgentConfig spec, List<double> trials, StringBuilder curves)
    {
        var cfg = context.Config.Rl;
        long steps = cfg.StepsOf(spec, context.Config.Quick);
        int checkpoints = (int)Math.Min(cfg.Checkpoints, steps);
        string name = spec.Algo.ToUpperInvariant();
        string folder = Path.Combine(context.RunDirectory, "rl", spec.Algo);
        var validation = setup.MakeEnv(setup.Validation);
        var sharpes = new List<double>();
        int best = -1;
        var inv = CultureInfo.InvariantCulture;
        var clock = Stopwatch.StartNew();
        long rollout = Math.Max(1, steps / checkpoints);
        using (var agent = TradingAgents.Create(Sized(spec, context.Config.Quick), _ => setup.MakeEnv(setup.Train), context.Config.Seed, steps, cfg.Normalize,
                   Math.Max(1, rollout / 4), rolloutSteps: (int)Math.Min(rollout, int.MaxValue)))
        {
            // Training runs in `checkpoints` chunks; after each, the agent trades the validation block once and the best
            // so far is saved. Nothing of the test block is seen.
            for (int c = 0; c < checkpoints; c++)
            {
                long chunk = (c + 1) * steps / checkpoints - c * steps / checkpoints, offset = agent.StepsDone;
                AgentProgress? last = null;
                agent.Learn(chunk, p =>
                {
                    last = p;
                    var metrics = AgentTracking.Metrics(p).Select(m => new KeyValuePair<string, double>($"{spec.Algo}.{m.Key}", m.Value)).ToList();
                    context.StageRun?.LogMetrics(metrics, offset + p.Steps);
                    curves.Append(string.Create(inv, $"{spec.Algo},{offset + p.Steps},{p.Episodes},{p.MeanEpisodeReturn:R},\n"));
                });
                double sharpe = TradingEpisode.Run(agent, validation).Sharpe();
                sharpes.Add(sharpe);
                trials.Add(sharpe);
                bool improved = best < 0 || sharpe > sharpes[best];
                if (improved)
                {
                    best = sharpes.Count - 1;
                    agent.Save(folder, context.TrackedRun?.RunId);
                }

                context.StageRun?.LogMetrics([new($"{spec.Algo}.validation_sharpe", sharpe * Math.Sqrt(context.PeriodsPerYear))], agent.StepsDone);
                curves.Append(string.Create(inv, $"{spec.Algo},{agent.StepsDone},,,{sharpe * Math.Sqrt(context.PeriodsPerYear):R}\n"));
                double elapsed = clock.Elapsed.TotalSeconds, rate = agent.StepsDone / Math.Max(elapsed, 1e-9);
                string mean = last is { MeanEpisodeReturn: var m } && double.IsFinite(m) ? m.ToString("F2", inv) : "—";
                context.Log.WriteLine(string.Create(inv,
                    $"  {name,-4} {agent.StepsDone,9:N0}/{steps:N0} steps  mean episode return {mean,9}  validation Sharpe {sharpe * Math.Sqrt(context.PeriodsPerYear),6:F2}{(improved ? " *" : "  ")}  {rate,7:N0} steps/s  ETA {Math.Max(0, steps - agent.StepsDone) / Math.Max(rate, 1e-9):F0} s"));
            }
        }

        double seconds = clock.Elapsed.TotalSeconds;
        var selected = AgentStore.Load(folder);
        foreach (var f in Directory.GetFiles(folder)) context.Artifacts.Add(Path.GetRelativePath(context.RunDirectory, f).Replace('\\', '/'));
        context.Metrics[$"rl.{spec.Algo}.validation_sharpe"] = sharpes[best] * Math.Sqrt(context.PeriodsPerYear);
        context.Metrics[$"rl.{spec.Algo}.train_s"] = seconds;
        context.Metrics[$"rl.{spec.Algo}.steps_per_s"] = steps / Math.Max(seconds, 1e-9);
        context.Log.WriteLine(string.Create(inv,
            $"  {name,-4} selected checkpoint {best + 1}/{sharpes.Count} (validation Sharpe {sharpes[best] * Math.Sqrt(context.PeriodsPerYear):F2}), trained {steps:N0} steps in {seconds:F1} s; model folder {folder}"));
        return new Trained(selected, steps, seconds, [.. sharpes], best);
    }

    private static AgentStrategy Ensemble(RunContext context, Setup setup, List<double> trials, StringBuilder report)
    {
        var cfg = context.Config.Rl;
        var ens = cfg.Ensemble;
        long steps = context.Config.Quick ? ens.QuickSteps : ens.Steps;
        var test = setup.Split.Test;
        int windows = (test.Length + ens.RebalanceWindow - 1) / ens.RebalanceWindow;
        var inv = CultureInfo.InvariantCulture;
        var segments = new List<AgentSegment>();
        var table = new StringBuilder("window,trade_start,trade_end,validation_start,train_end," + string.Join(",", ens.Agents.Select(a => $"{a}_sharpe")) + ",selected\n");
        report.AppendLine();
        report.AppendLine(string.Create(inv,
            $"## FinRL ensemble: {windows} windows of {ens.RebalanceWindow} days; candidates {string.Join(", ", ens.Agents.Select(a => a.ToUpperInvariant()))}, {steps:N0} steps each, compared on the {ens.ValidationWindow} days before each window"));
        report.AppendLine();
        report.AppendLine("| window | trades | validation | " + string.Join(" | ", ens.Agents.Select(a => a.ToUpperInvariant())) + " | selected |");
        report.AppendLine("|---:|---|---|" + string.Concat(ens.Agents.Select(_ => "---:|")) + "---|");
        var clock = Stopwatch.StartNew();
        for (int w = 0; w < windows; w++)
        {
            int tradeStart = test.Start + w * ens.RebalanceWindow, tradeEnd = Math.Min(tradeStart + ens.RebalanceWindow, test.End);
            int valStart = tradeStart - ens.ValidationWindow;
            int trainEnd = valStart;
            int trainStart = context.Config.Quick ? Math.Max(setup.Split.Train.Start, trainEnd - QuickTrainBars(setup.Calendar)) : setup.Split.Train.Start;
            if (valStart <= trainStart + 1) throw new InvalidOperationException($"Ensemble window {w + 1}: no training days before its validation days.");
            var train = setup.Data(trainStart, trainEnd);
            var validation = setup.MakeEnv(setup.Data(valStart, tradeStart));
            IAgent? chosen = null;
            string chosenName = "";
            double chosenSharpe = double.NegativeInfinity;
            var sharpes = new List<double>();
            foreach (var algo in ens.Agents)
            {
                var agent = TradingAgents.Create(Sized(new RlAgentConfig { Algo = algo }, context.Config.Quick), _ => setup.MakeEnv(train), context.Config.Seed + w, steps, cfg.Normalize, steps);
                agent.Learn(steps);
                double sharpe = TradingEpisode.Run(agent, validation).Sharpe();
                sharpes.Add(sharpe);
                trials.Add(sharpe);
                if (sharpe > chosenSharpe)
                {
                    chosen?.Dispose();
                    (chosen, chosenName, chosenSharpe) = (agent, algo.ToUpperInvariant(), sharpe);
                }
                else
                {
                    agent.Dispose();
                }
            }

            segments.Add(new AgentSegment(tradeStart, chosen!, chosenName));
            string saved = Path.Combine(context.RunDirectory, "rl", "ensemble", $"window-{w + 1:D2}");
            chosen!.Save(saved, context.TrackedRun?.RunId);
            foreach (var f in Directory.GetFiles(saved)) context.Artifacts.Add(Path.GetRelativePath(context.RunDirectory, f).Replace('\\', '/'));
            string days(int a, int b) => string.Create(inv, $"{setup.Calendar[a]:yyyy-MM-dd}..{setup.Calendar[b - 1]:yyyy-MM-dd}");
            report.AppendLine($"| {w + 1} | {days(tradeStart, tradeEnd)} | {days(valStart, tradeStart)} | " + string.Join(" | ", sharpes.Select(s => (s * Math.Sqrt(context.PeriodsPerYear)).ToString("F2", inv))) + $" | {chosenName} |");
            table.Append(string.Create(inv, $"{w + 1},{setup.Calendar[tradeStart]:yyyy-MM-dd},{setup.Calendar[tradeEnd - 1]:yyyy-MM-dd},{setup.Calendar[valStart]:yyyy-MM-dd},{setup.Calendar[trainEnd - 1]:yyyy-MM-dd},"))
                .Append(string.Join(",", sharpes.Select(s => (s * Math.Sqrt(context.PeriodsPerYear)).ToString("R", inv)))).Append(',').Append(chosenName).Append('\n');
            double eta = clock.Elapsed.TotalSeconds / (w + 1) * (windows - w - 1);
            context.Log.WriteLine(string.Create(inv,
                $"  ensemble window {w + 1}/{windows} ({days(tradeStart, tradeEnd)}): validation Sharpes {string.Join(", ", ens.Agents.Select((a, i) => $"{a.ToUpperInvariant()} {sharpes[i] * Math.Sqrt(context.PeriodsPerYear):F2}"))} -> {chosenName}  ETA {eta:F0} s"));
        }

        context.WriteArtifact("rl-ensemble.csv", table.ToString());
        context.Metrics["rl.ensemble.windows"] = windows;
        context.Metrics["rl.ensemble.train_s"] = clock.Elapsed.TotalSeconds;
        return new AgentStrategy(EnsembleCurve, setup.Test, cfg.HMax, segments);
    }

    /// <summary>What every agent of the stage shares: the data blocks and the environment settings.</summary>
    private sealed class Setup
    {
        public required TrainValidationTest Split { get; init; }

        public required Data.TradingCalendar Calendar { get; init; }

        public required Func<int, int, TradingData> Data { get; init; }

        public required TradingEnvConfig Env { get; init; }

        public required bool Hybrid { get; init; }

        public required int TrainStart { get; init; }

        public required int TrainEnd { get; init; }

        public required TradingData Train { get; init; }

        public required TradingData Validation { get; init; }

        public required TradingData Test { get; init; }

        public string Name => Hybrid ? "HybridStockTrading" : "StockTrading";

        public int Tickers => Test.TickerCount;

        public int StateSize => Test.StateSize;

        public StockTradingEnv MakeEnv(TradingData data) => Hybrid ? new HybridTradingEnv(data, Env) : new StockTradingEnv(data, Env);

        public static Setup Create(RunContext context)
        {
            var cfg = context.Config.Rl;
            var panel = context.RequireData().Panel;
            var split = context.RequireSplit();
            var features = context.Features ?? throw new InvalidOperationException("The rl stage needs the features stage first.");
            foreach (var name in cfg.Indicators)
            {
                if (!features.Names.Contains(name)) throw new ConfigException("rl.indicators", $"names '{name}', which the features stage did not compute ({string.Join(", ", features.Names)}).");
            }

            var (options, threshold) = BacktestStage.TestOptions(context);
            var forecasts = context.Forecast is { } f ? ForecastSignals.Compute(f.Forecaster, panel) : null;
            var env = new TradingEnvConfig
            {
                InitialCash = context.Config.Backtest.InitialCash, HMax = cfg.HMax, RewardScaling = cfg.RewardScaling,
                TurbulenceThreshold = threshold, Semantics = EnvSemantics.Gymnasium, Execution = options,
            }.Validate();
            var turbulence = options.Turbulence;
            TradingData Data(int start, int end) => TradingData.FromPanel(panel, start, end, features, cfg.Indicators, turbulence, forecasts);
            int trainEnd = split.Train.End, trainStart = context.Config.Quick ? Math.Max(split.Train.Start, trainEnd - QuickTrainBars(panel.Calendar)) : split.Train.Start;
            return new Setup
            {
                Split = split, Calendar = panel.Calendar, Data = Data, Env = env, Hybrid = forecasts is not null, TrainStart = trainStart, TrainEnd = trainEnd,
                Train = Data(trainStart, trainEnd), Validation = Data(split.Validation.Start, split.Validation.End), Test = Data(split.Test.Start, split.Test.End),
            };
        }
    }
}
