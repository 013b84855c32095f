namespace Research.Core.Risk;

/// <summary>What the risk manager reads of a portfolio: positions marked at the last close, cash and equity.</summary>
public interface IPortfolioView
{
    /// <summary>Number of tickers.</summary>
    int Count { get; }

    /// <summary>Cash.</summary>
    double Cash { get; }

    /// <summary>Cash plus every position at its mark.</summary>
    double Equity { get; }

    /// <summary>Σ |position value|.</summary>
    double GrossExposure { get; }

    /// <summary>Σ position value.</summary>
    double NetExposure { get; }

    /// <summary>Shares held of ticker <paramref name="k"/> (negative: short).</summary>
    double Quantity(int k);

    /// <summary>Last valid close of ticker <paramref name="k"/>.</summary>
    double Mark(int k);

    /// <summary>Average cost per share of the open position of ticker <paramref name="k"/>.</summary>
    double AverageCost(int k);
}
