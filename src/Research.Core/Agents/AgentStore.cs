using System.Text.Json;
using System.Text.Json.Serialization;
using Research.Core.Agents.Algorithms;
using Research.Core.Environments;

namespace Research.Core.Agents;

/// <summary>A space as <c>config.json</c> stores it.</summary>
/// <param name="Kind">"Discrete" or "Box".</param>
/// <param name="N">Discrete: number of actions.</param>
/// <param name="Start">Discrete: first action.</param>
/// <param name="Low">Box: lower bounds.</param>
/// <param name="High">Box: upper bounds.</param>
/// <param name="Shape">Box: dimensions.</param>
public sealed record SpaceSpec(string Kind, int N = 0, int Start = 0, float[]? Low = null, float[]? High = null, int[]? Shape = null)
{
    /// <summary>The stored form of <paramref name="space"/>.</summary>
    public static SpaceSpec From(Space space) => space switch
    {
        DiscreteSpace d => new SpaceSpec("Discrete", d.N, d.Start),
        BoxSpace b => new SpaceSpec("Box", Low: b.Low, High: b.High, Shape: b.Shape),
        _ => throw new ArgumentException($"Cannot store a {space.GetType().Name}.", nameof(space)),
    };

    /// <summary>The space back.</summary>
    public Space ToSpace() => Kind switch
    {
        "Discrete" => new DiscreteSpace(N, Start),
        "Box" => new BoxSpace(Low ?? throw Missing("Low"), High ?? throw Missing("High"), Shape ?? throw Missing("Shape")),
        _ => throw new InvalidDataException($"Unknown space kind '{Kind}' (expected Discrete or Box)."),
    };

    private static InvalidDataException Missing(string field) => new($"A stored Box space has no {field}.");
}

/// <summary>What <c>config.json</c> holds: the algorithm, its hyperparameters, the spaces and the steps done.</summary>
/// <param name="Algorithm">"PPO", "A2C", "DQN", "SAC", "TD3" or "DDPG".</param>
/// <param name="Format">File format version (1).</param>
/// <param name="Config">Hyperparameters (with a "$type" discriminator).</param>
/// <param name="ObservationSpace">One environment's observation space.</param>
/// <param name="ActionSpace">One environment's action space.</param>
/// <param name="StepsDone">Environment steps trained.</param>
public sealed record AgentManifest(string Algorithm, int Format, AgentConfig Config, SpaceSpec ObservationSpace, SpaceSpec ActionSpace, long StepsDone);

/// <summary>
/// Saving and loading agents. A saved agent is a folder: <c>config.json</c> (an <see cref="AgentManifest"/>), one
/// TorchSharp weights file per network, and <c>normalization.json</c> when the agent normalises.
/// </summary>
public static class AgentStore
{
    /// <summary>The manifest's file name.</summary>
    public const string ManifestFile = "config.json";

    /// <summary>The normalisation statistics' file name.</summary>
    public const string NormalizationFile = "normalization.json";

    /// <summary>JSON settings of the manifest (indented, enums as names, ±∞ allowed).</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// Loads any saved agent (dispatching on the manifest's algorithm). Without <paramref name="makeEnv"/> it can
    /// <see cref="IAgent.Predict"/> and <see cref="IAgent.Save"/> but not <see cref="IAgent.Learn"/>.
    /// </summary>
    public static IAgent Load(string folder, Func<int, IEnv>? makeEnv = null)
    {
        var manifest = ReadManifest(folder);
        return manifest.Algorithm switch
        {
            Ppo.Name => Ppo.Load(folder, makeEnv),
            A2c.Name => A2c.Load(folder, makeEnv),
            Dqn.Name => Dqn.Load(folder, makeEnv),
            Sac.Name => Sac.Load(folder, makeEnv),
            Td3.Name => Td3.Load(folder, makeEnv),
            Ddpg.Name => Ddpg.Load(folder, makeEnv),
            _ => throw new InvalidDataException($"{Path.Combine(folder, ManifestFile)}: unknown algorithm '{manifest.Algorithm}'."),
        };
    }

    /// <summary>Reads a saved agent's manifest.</summary>
    public static AgentManifest ReadManifest(string folder)
    {
        string path = Path.Combine(folder, ManifestFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"No saved agent in {folder}: {ManifestFile} is missing.", path);
        return JsonSerializer.Deserialize<AgentManifest>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} is empty.");
    }

    /// <summary>Writes a manifest (creating the folder).</summary>
    public static void WriteManifest(string folder, AgentManifest manifest)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ManifestFile), JsonSerializer.Serialize(manifest, Json));
    }

    /// <summary>Reads a manifest and checks it is <paramref name="algorithm"/>'s with a config of type <typeparamref name="TConfig"/>.</summary>
    internal static (AgentManifest Manifest, TConfig Config) ReadManifest<TConfig>(string folder, string algorithm) where TConfig : AgentConfig
    {
        var m = ReadManifest(folder);
        if (m.Algorithm != algorithm) throw new InvalidDataException($"{folder} holds a {m.Algorithm} agent, not {algorithm}.");
        if (m.Config is not TConfig config) throw new InvalidDataException($"{folder}: the config is a {m.Config.GetType().Name}, not a {typeof(TConfig).Name}.");
        return (m, config);
    }
}
