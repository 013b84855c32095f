namespace Research.Core.Data;

/// <summary>The per-bar fields a panel carries.</summary>
public enum PriceField
{
    /// <summary>Opening price.</summary>
    Open,
    /// <summary>Highest traded price.</summary>
    High,
    /// <summary>Lowest traded price.</summary>
    Low,
    /// <summary>Closing price (split-adjusted in the embedded set).</summary>
    Close,
    /// <summary>Traded volume in shares.</summary>
    Volume,
    /// <summary>Dividend- and split-adjusted close, when the source has it (Yahoo's <c>Adj Close</c>).</summary>
    AdjClose,
}
