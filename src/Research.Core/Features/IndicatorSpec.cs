using System.Globalization;
using Research.Core.Features.Catalog;

namespace Research.Core.Features;

/// <summary>
/// An indicator with parameter values and the label its columns get: <c>RSI</c> (defaults, label RSI) or
/// <c>RSI(period=30)</c> (label RSI_30; several changed values join with underscores).
/// </summary>
public sealed record IndicatorSpec(IndicatorDefinition Definition, double[] Parameters, string Label)
{
    /// <summary>Column names of the outputs.</summary>
    public IReadOnlyList<string> Columns => Definition.Columns(Label);

    /// <summary>Parses <c>NAME</c> or <c>NAME(param=value, ...)</c>; errors name the indicator and the parameter.</summary>
    public static IndicatorSpec Parse(string text)
    {
        text = text.Trim();
        int open = text.IndexOf('(');
        string name = open < 0 ? text : text[..open].Trim();
        var definition = IndicatorCatalog.Get(name);
        var values = definition.Defaults();
        if (open < 0) return new IndicatorSpec(definition, values, definition.Name);
        if (!text.EndsWith(')')) throw new ArgumentException($"'{text}': expected NAME(param=value, ...).", nameof(text));
        string inner = text[(open + 1)..^1];
        var changed = new List<string>();
        foreach (var part in inner.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv.Length != 2) throw new ArgumentException($"'{text}': '{part}' is not param=value.", nameof(text));
            int index = -1;
            for (int i = 0; i < definition.Parameters.Count; i++)
            {
                if (string.Equals(definition.Parameters[i].Name, kv[0], StringComparison.OrdinalIgnoreCase)) index = i;
            }

            if (index < 0)
            {
                throw new ArgumentException($"'{text}': {definition.Name} has no parameter '{kv[0]}' (it has {(definition.Parameters.Count == 0 ? "none" : string.Join(", ", definition.Parameters.Select(p => p.Name)))}).", nameof(text));
            }

            if (!double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            {
                throw new ArgumentException($"'{text}': {kv[0]} = '{kv[1]}' is not a number.", nameof(text));
            }

            values[index] = v;
            changed.Add(kv[1]);
        }

        string label = changed.Count == 0 ? definition.Name : $"{definition.Name}_{string.Join("_", changed)}";
        return new IndicatorSpec(definition, values, label);
    }
}
