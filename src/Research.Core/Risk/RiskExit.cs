namespace Research.Core.Risk;

/// <summary>An exit the risk manager asks for at a close: <see cref="Quantity"/> shares (signed) of ticker <see cref="Ticker"/>, by <see cref="Rule"/>.</summary>
public readonly record struct RiskExit(int Ticker, double Quantity, string Rule);
