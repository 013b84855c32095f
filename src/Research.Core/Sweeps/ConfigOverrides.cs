using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Research.Core.Configuration;
using Research.Core.Data;

namespace Research.Core.Sweeps;

/// <summary>
/// Per-trial overrides of an experiment config by dotted key (<c>forecaster.hidden</c>, <c>backtest.slippageBps</c>):
/// a key must name a setting of <see cref="RunConfig"/> (whether or not the config file spells it out); objects on the
/// way are created when the config leaves them unset.
/// </summary>
public sealed class ConfigOverrides
{
    /// <summary>The config conventions, writing null settings too (so that an explicit null survives the round trip
    /// instead of falling back to the setting's default).</summary>
    private static readonly JsonSerializerOptions WriteAll = new(ConfigJson.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    private readonly JsonObject _base;
    private readonly string _source;

    /// <summary>Starts from <paramref name="config"/> (already loaded and resolved); errors name <paramref name="source"/>.</summary>
    public ConfigOverrides(RunConfig config, string source)
    {
        _base = JsonSerializer.SerializeToNode(config, WriteAll)!.AsObject();
        _source = source;
    }

    /// <summary>Whether <paramref name="key"/> names a leaf setting of the config (not a section).</summary>
    public static bool IsSetting(string key)
    {
        var info = ConfigJson.Options.GetTypeInfo(typeof(RunConfig));
        var parts = key.Split('.');
        for (int i = 0; i < parts.Length; i++)
        {
            var prop = info.Properties.FirstOrDefault(p => p.Name == parts[i]);
            if (prop is null) return false;
            var type = Nullable.GetUnderlyingType(prop.PropertyType) ?? prop.PropertyType;
            var next = ConfigJson.Options.GetTypeInfo(type);
            bool section = next.Kind == JsonTypeInfoKind.Object && type != typeof(string);
            if (i == parts.Length - 1) return !section;
            if (!section) return false;
            info = next;
        }

        return false;
    }

    /// <summary>Throws naming the first key of <paramref name="keys"/> that is not a config setting.</summary>
    /// <exception cref="DataFormatException">A key is not a setting of the config.</exception>
    public void CheckKeys(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            if (!IsSetting(key))
                throw new DataFormatException(_source, null, null, $"\"space.{key}\": \"{key}\" is not a setting of the experiment config (dotted camelCase keys, e.g. forecaster.hidden).");
        }
    }

    /// <summary>The config with <paramref name="values"/> (key → long, double, string or bool) applied and validated.</summary>
    /// <exception cref="DataFormatException">A key is not a setting or a value has the wrong type for it.</exception>
    /// <exception cref="ConfigException">A value is out of range for its setting.</exception>
    public RunConfig Apply(IReadOnlyDictionary<string, object> values)
    {
        CheckKeys(values.Keys);
        JsonObject node;
        lock (_base) node = _base.DeepClone().AsObject(); // trials run in parallel; a parsed node materialises lazily
        foreach (var (key, value) in values)
        {
            var parts = key.Split('.');
            var obj = node;
            foreach (var part in parts[..^1])
            {
                if (obj[part] is not JsonObject child)
                {
                    child = new JsonObject();
                    obj[part] = child;
                }

                obj = child;
            }

            obj[parts[^1]] = value switch
            {
                long l => JsonValue.Create(l),
                int i => JsonValue.Create(i),
                double d => JsonValue.Create(d),
                string s => JsonValue.Create(s),
                bool b => JsonValue.Create(b),
                _ => throw new ArgumentException($"{_source}: \"space.{key}\": unsupported value type {value.GetType().Name}."),
            };
        }

        RunConfig config;
        try
        {
            config = ConfigLoader.Parse(node.ToJsonString(), _source);
        }
        catch (DataFormatException e)
        {
            throw new DataFormatException(_source, null, null, $"a trial's overrides ({string.Join(", ", values.Keys)}) do not fit the config: {e.Detail}", e);
        }

        return config.Validate();
    }
}
