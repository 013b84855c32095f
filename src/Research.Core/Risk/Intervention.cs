namespace Research.Core.Risk;

/// <summary>One action of the risk manager: the rule, the ticker (or "portfolio"), what it did and the numbers behind it.</summary>
public sealed record Intervention(DateOnly Date, string Rule, string Subject, string Action, string Detail);
