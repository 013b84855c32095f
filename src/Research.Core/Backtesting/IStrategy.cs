namespace Research.Core.Backtesting;

/// <summary>A trading strategy: on each bar it sees history up to that bar and submits orders through the context.</summary>
public interface IStrategy
{
    /// <summary>Name used for the equity curve and reports.</summary>
    string Name { get; }

    /// <summary>Called once per bar after the close; <paramref name="context"/> exposes bars up to <see cref="StrategyContext.Today"/> only.</summary>
    void OnBar(StrategyContext context);
}
