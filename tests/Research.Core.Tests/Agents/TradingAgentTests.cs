using Research.Core.Agents.Trading;
using Research.Core.Backtesting;
using Research.Core.Backtesting.Costs;
using Research.Core.Configuration;
using Research.Core.Environments.Trading;
using Research.Core.Risk;
using Research.Core.Tests.Backtesting;

namespace Research.Core.Tests.Agents;

[Collection("Torch")]
public class TradingAgentTests
{
    private static readonly BacktestOptions Execution = new()
    {
        Costs = new CostModel { CommissionPct = 0.001, HalfSpreadBps = 3, Slippage = SlippageKind.VolatilityScaled, SlippageValue = 0.5, Impact = ImpactKind.SquareRoot, ImpactCoefficient = 0.2 },
        Risk = new RiskLimits { MaxPositionPct = 0.3, MaxLeverage = 1 },
        ParticipationCap = double.PositiveInfinity,
    };

    [Fact]
    public void A_trained_agent_trades_the_backtester_fill_for_fill_as_it_trades_the_backtest_grade_environment()
    {
        var panel = Panels.Random(5, 120, 21);
        int start = 30, end = 120;
        var config = new TradingEnvConfig { InitialCash = 200_000, HMax = 300, Execution = Execution, Semantics = EnvSemantics.Gymnasium };
        var data = TradingData.FromPanel(panel, start, end);
        using var agent = TradingAgents.Create(new RlAgentConfig { Algo = "ppo", NetArch = [16, 16] }, _ => new StockTradingEnv(data, config), seed: 3, steps: 2048, normalize: true, progressInterval: 2048);
        agent.Learn(2048);

        var episode = TradingEpisode.Run(agent, new StockTradingEnv(data, config));
        var strategy = new AgentStrategy("rl-ppo", data, 300, [new AgentSegment(start, agent, "PPO")]);
        var result = Backtester.Run(panel, strategy, Execution with { InitialCash = 200_000, Start = start, End = end, Fill = FillTiming.SameClose });

        Assert.True(result.Fills.Count(f => f.Quantity < 0) > 10 && result.Fills.Count(f => f.Quantity > 0) > 10, $"{result.Fills.Count} fills: the agent must both buy and sell");
        Assert.Equal(episode.Dates, result.Daily.Select(d => d.Date));
        for (int i = 0; i + 1 < episode.Dates.Length; i++)
        {
            // The environment's holdings after stepping day i are the backtester's after day i's fills.
            for (int k = 0; k < 5; k++) Assert.Equal(episode.Holdings[(i + 1) * 5 + k], Holdings(result, episode.Dates[i], k));
        }

        Assert.Equal(episode.AccountValue[^1], result.Equity[^1], 6); // no trades on the last day: the same final value
        Assert.Equal(end - start - 1, strategy.Decisions.Count); // every day but the last, as the environment
    }

    [Fact]
    public void An_ensemble_hands_over_from_agent_to_agent_on_each_segment_start()
    {
        var panel = Panels.Random(3, 60, 5);
        var config = new TradingEnvConfig { InitialCash = 100_000, HMax = 50, Execution = Execution, Semantics = EnvSemantics.Gymnasium };
        var data = TradingData.FromPanel(panel, 20, 60);
        using var a = TradingAgents.Create(new RlAgentConfig { Algo = "a2c", NetArch = [8] }, _ => new StockTradingEnv(data, config), 1, 10, false, 10);
        using var b = TradingAgents.Create(new RlAgentConfig { Algo = "ddpg", NetArch = [8] }, _ => new StockTradingEnv(data, config), 2, 10, false, 10);
        var strategy = new AgentStrategy("rl-ensemble", data, 50, [new AgentSegment(20, a, "A2C"), new AgentSegment(40, b, "DDPG")]);
        Backtester.Run(panel, strategy, Execution with { InitialCash = 100_000, Start = 20, End = 60 });
        Assert.Equal(Enumerable.Repeat("A2C", 20).Concat(Enumerable.Repeat("DDPG", 19)), strategy.Decisions.Select(d => d.Label));
        Assert.Equal(panel.Calendar[20], strategy.Decisions[0].Date);

        // Agents must fit the data: a state of another size is refused up front.
        var other = TradingData.FromPanel(Panels.Random(4, 60, 5), 20, 60);
        Assert.Contains("takes 7 observations", Assert.Throws<ArgumentException>(() => new AgentStrategy("x", other, 50, [new AgentSegment(20, a, "A2C")])).Message);
    }

    [Fact]
    public void The_rl_section_names_the_bad_setting()
    {
        Assert.Equal("rl.agents[1].algo", Assert.Throws<ConfigException>(() => new RlConfig { Agents = [new() { Algo = "ppo" }, new() { Algo = "dqn" }] }.Validate("rl")).Path);
        Assert.Equal("rl.agents", Assert.Throws<ConfigException>(() => new RlConfig { Agents = [new() { Algo = "sac" }, new() { Algo = "sac" }] }.Validate("rl")).Path);
        Assert.Equal("rl.ensemble.agents[0]", Assert.Throws<ConfigException>(() => new RlConfig { Ensemble = new() { Agents = ["trpo"] } }.Validate("rl")).Path);
        Assert.Equal("rl.agents[0].learningRate", Assert.Throws<ConfigException>(() => new RlConfig { Agents = [new() { Algo = "td3", LearningRate = 2 }] }.Validate("rl")).Path);
        Assert.Equal(1_000, new RlConfig().StepsOf(new RlAgentConfig { Steps = 80_000 }, quick: true));
        Assert.Equal(80_000, new RlConfig().StepsOf(new RlAgentConfig { Steps = 80_000 }, quick: false));
    }

    [Fact]
    public void The_validation_Sharpe_is_mean_over_sample_deviation_of_daily_returns_and_zero_without_variation()
    {
        var episode = new TradingEpisode([], [100, 101, 100.5, 102, 103], [], [], []);
        double[] r = [0.01, 100.5 / 101 - 1, 102 / 100.5 - 1, 103.0 / 102 - 1];
        double mean = r.Average(), sd = Math.Sqrt(r.Sum(x => (x - mean) * (x - mean)) / 3);
        Assert.Equal(mean / sd, episode.Sharpe(), 12);
        Assert.Equal(mean / sd * Math.Sqrt(252), episode.AnnualSharpe(), 12);
        Assert.Equal(0, new TradingEpisode([], [100, 100, 100], [], [], []).Sharpe());
    }

    private static double Holdings(BacktestResult result, DateOnly date, int k) =>
        result.Fills.Where(f => f.Ticker == k && f.Date <= date).Sum(f => f.Quantity);
}
