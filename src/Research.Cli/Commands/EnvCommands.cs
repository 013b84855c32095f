using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Research.Core.Backtesting;
using Research.Core.Environments;
using Research.Core.Environments.Trading;
using Research.Core.Risk;
using Research.Core.IO;

namespace Research.Cli.Commands;

/// <summary><c>research env replay|rollout|bench</c>: hold the environments against FinRL's and Gymnasium's, and time them.</summary>
internal static class EnvCommands
{
    public static Command Create()
    {
        var cmd = new Command("env", "Trading and classic-control environments: replay actions, roll out dynamics, measure steps/s (docs/environments.md).");
        cmd.Subcommands.Add(Replay());
        cmd.Subcommands.Add(EnvRollout.Create());
        cmd.Subcommands.Add(Bench());
        return cmd;
    }

    private static Command Replay()
    {
        var data = new Option<string>("--data") { Description = "FinRL's processed layout: date,tic,open,high,low,close,volume,<indicators>[,turbulence], sorted by date then tic.", Required = true };
        var actions = new Option<string>("--actions") { Description = "CSV: header = the tickers in tic order, one row of actions in [-1, 1] per step.", Required = true };
        var hmax = new Option<int>("--hmax") { Description = "Largest trade per ticker per step, in shares.", DefaultValueFactory = _ => 100 };
        var initial = new Option<double>("--initial-amount") { Description = "Starting cash.", DefaultValueFactory = _ => 1_000_000 };
        var buyCost = new Option<double>("--buy-cost") { Description = "Buy cost as a fraction of traded value.", DefaultValueFactory = _ => 0.001 };
        var sellCost = new Option<double>("--sell-cost") { Description = "Sell cost as a fraction of traded value.", DefaultValueFactory = _ => 0.001 };
        var scaling = new Option<double>("--reward-scaling") { Description = "Reward = change in total asset × this.", DefaultValueFactory = _ => 1e-4 };
        var indicators = new Option<string?>("--indicators") { Description = "The state's indicator columns, comma-separated, in order (default: FinRL's 8, those present)." };
        var threshold = new Option<double?>("--turbulence-threshold") { Description = "At or above this risk-indicator value: sell every holding, buy nothing." };
        var risk = new Option<string>("--risk-indicator") { Description = "The risk-indicator column.", DefaultValueFactory = _ => "turbulence" };
        var semantics = new Option<string>("--semantics") { Description = "finrl (default: FinRL's episode rules exactly) or gymnasium (terminated on the step reaching the last day).", DefaultValueFactory = _ => "finrl" };
        var grade = new Option<bool>("--backtest-grade") { Description = "Fill through the backtester's cost model and default risk limits instead of FinRL's proportional costs." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: tickers, every step (step, day, date, action, executed, reward, cash, holdings, total_asset, cost, state), final_total_asset, total_cost." };
        var cmd = new Command("replay", "Replay a CSV of actions through FinRL's StockTradingEnv rules on FinRL-layout data.")
        {
            data, actions, hmax, initial, buyCost, sellCost, scaling, indicators, threshold, risk, semantics, grade, json,
        };
        CommandAction.Set(cmd, (parse, stdout, _) =>
        {
            var names = parse.GetValue(indicators) is { } list ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : null;
            var d = TradingData.FromFinRLCsv(parse.GetValue(data)!, names, parse.GetValue(risk)!);
            var rows = ActionsCsv.Read(parse.GetValue(actions)!, d.Tickers);
            var mode = parse.GetValue(semantics) switch
            {
                "finrl" => EnvSemantics.FinRL,
                "gymnasium" => EnvSemantics.Gymnasium,
                var other => throw new ArgumentException($"--semantics: '{other}' is not finrl or gymnasium."),
            };
            int allowed = mode == EnvSemantics.FinRL ? d.Days : d.Days - 1;
            if (rows.Length > allowed)
            {
                throw new ArgumentException($"--actions: {rows.Length} rows, but {d.Days} days allow {allowed} steps under {parse.GetValue(semantics)} semantics.");
            }

            TradingEnvConfig config;
            try
            {
                config = new TradingEnvConfig
                {
                    InitialCash = parse.GetValue(initial),
                    HMax = parse.GetValue(hmax),
                    BuyCostPct = parse.GetValue(buyCost),
                    SellCostPct = parse.GetValue(sellCost),
                    RewardScaling = parse.GetValue(scaling),
                    TurbulenceThreshold = parse.GetValue(threshold) ?? double.NaN,
                    Semantics = mode,
                    Execution = parse.GetValue(grade) ? new BacktestOptions { Risk = new RiskLimits() } : null,
                }.Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                string flag = e.ParamName switch
                {
                    "InitialCash" => "--initial-amount", "HMax" => "--hmax", "BuyCostPct" => "--buy-cost", "SellCostPct" => "--sell-cost",
                    "RewardScaling" => "--reward-scaling", _ => "--turbulence-threshold",
                };
                throw new ArgumentException($"{flag}: {e.Message.Split(" (Parameter")[0]}", e);
            }

            if (!double.IsNaN(config.TurbulenceThreshold) && d.Risk is null) throw new ArgumentException($"--turbulence-threshold: the data has no '{d.RiskName}' column (--risk-indicator).");
            var env = new StockTradingEnv(d, config);
            var obs = new float[env.StateSize];
            env.Reset(null, obs);
            var steps = new List<object>();
            var ci = CultureInfo.InvariantCulture;
            bool asJson = parse.GetValue(json);
            if (!asJson) stdout.WriteLine($"{d.Tickers.Length} tickers × {d.Days} days, state {d.StateSize}, {rows.Length} steps ({mode} semantics{(config.Execution is null ? "" : ", backtest-grade execution")})");
            for (int i = 0; i < rows.Length; i++)
            {
                var r = env.Step(rows[i], obs);
                if (asJson)
                {
                    steps.Add(new
                    {
                        step = i + 1,
                        day = env.Day,
                        date = env.Date.ToString("yyyy-MM-dd", ci),
                        action = rows[i].Select(a => (double)a).ToArray(),
                        executed = env.Executed.ToArray(),
                        reward = r.Reward,
                        cash = env.Cash,
                        holdings = env.Holdings.ToArray(),
                        total_asset = env.TotalAsset,
                        cost = env.Cost,
                        state = env.State.ToArray(),
                    });
                }
                else
                {
                    stdout.WriteLine(string.Create(ci, $"step {i + 1,5}  {env.Date:yyyy-MM-dd}  reward {r.Reward,14:F6}  total asset {env.TotalAsset,16:N2}  cost {env.Cost,12:N2}  trades {env.Trades,5}{(r.Terminated ? "  terminated" : "")}"));
                }

                if (r.Terminated) break;
            }

            if (asJson)
            {
                stdout.WriteLine(JsonSerializer.Serialize(new { tickers = d.Tickers, steps, final_total_asset = env.TotalAsset, total_cost = env.Cost }, ArtifactJson.Compact));
            }
            else
            {
                stdout.WriteLine(string.Create(ci, $"final total asset {env.TotalAsset:N2} (from {env.Data.Close.AsSpan(0, d.TickerCount).ToArray().Zip(config.InitialShares ?? new double[d.TickerCount], (c, s) => c * s).Sum() + config.InitialCash:N2}), total cost {env.Cost:N2}, {env.Trades} trades"));
            }

            return 0;
        });
        return cmd;
    }

    private static Command Bench()
    {
        var envs = new Option<int>("--envs") { Description = "Copies in the vector env.", DefaultValueFactory = _ => 64 };
        var threads = new Option<int>("--threads") { Description = "Threads stepping the vector env (default: every core).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var seconds = new Option<double>("--seconds") { Description = "Measuring time per case.", DefaultValueFactory = _ => 2 };
        var cmd = new Command("bench", "Steps/s of the FinRL stock env (30 DJIA tickers, state 301), alone and vectorised.") { envs, threads, seconds };
        CommandAction.Set(cmd, (parse, stdout, _) =>
        {
            int n = parse.GetValue(envs), t = parse.GetValue(threads);
            double s = parse.GetValue(seconds);
            if (n < 1) throw new ArgumentException("--envs must be ≥ 1.");
            if (t < 1) throw new ArgumentException("--threads must be ≥ 1.");
            if (!(s > 0)) throw new ArgumentException("--seconds must be > 0.");
            var panel = BacktestCommand.LoadPanel("djia");
            panel = panel.SelectTickers(panel.Tickers.Where(x => x != "AABA").Take(30));
            var data = FinRLSetup.Data(panel, 252, panel.DateCount);
            var config = new TradingEnvConfig { TurbulenceThreshold = 1e9 };
            var ci = CultureInfo.InvariantCulture;
            stdout.WriteLine(string.Create(ci, $"FinRL StockTradingEnv: {data.TickerCount} tickers, state {data.StateSize}, {data.Days} days; {Environment.ProcessorCount} core(s)"));
            double single = EnvThroughput.Single(new StockTradingEnv(data, config), s);
            stdout.WriteLine(string.Create(ci, $"single env:                      {single,14:N0} steps/s"));
            using (var vec = VectorEnv.Create(_ => new StockTradingEnv(data, config), n, AutoresetMode.SameStep))
            {
                stdout.WriteLine(string.Create(ci, $"vector env, {n} copies, 1 thread: {EnvThroughput.Vector(vec, s),14:N0} env-steps/s"));
            }

            if (t > 1)
            {
                using var vec = VectorEnv.Create(_ => new StockTradingEnv(data, config), n, AutoresetMode.SameStep, t);
                stdout.WriteLine(string.Create(ci, $"vector env, {n} copies, {t} threads: {EnvThroughput.Vector(vec, s),14:N0} env-steps/s"));
            }

            return 0;
        });
        return cmd;
    }
}
